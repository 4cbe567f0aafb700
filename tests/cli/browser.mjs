// browser.mjs URL USER PASSWORD OUTDIR [SHOTDIR] — headless Chromium
// (Debian's) driven over the DevTools protocol with Node's own WebSocket,
// nothing from npm: logs in through the form, checks the survey table
// renders with its colours and chart, downloads the workbook into
// OUTDIR/workbook.xlsx, and with SHOTDIR saves web-*.png screenshots.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';

const [base, user, password, out, shots] = process.argv.slice(2);
const TIMEOUT_MS = 20000;
mkdirSync(out, { recursive: true });

const chrome = spawn('chromium', ['--headless=new', '--no-sandbox',
    '--disable-gpu', '--no-first-run', '--remote-debugging-port=0',
    `--user-data-dir=${out}/profile`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
const wsUrl = await new Promise((resolve, reject) => {
	let err = '';
	chrome.stderr.on('data', (d) => {
		err += d;
		const m = err.match(/DevTools listening on (ws:\/\/\S+)/);
		if (m) resolve(m[1]);
	});
	setTimeout(() => reject(new Error(`chromium did not start: ${err}`)), TIMEOUT_MS);
});

const ws = new WebSocket(wsUrl);
await new Promise((resolve) => ws.addEventListener('open', resolve));
let lastId = 0;
const pending = new Map();
const waiters = [];
ws.addEventListener('message', (ev) => {
	const m = JSON.parse(ev.data);
	if (m.id !== undefined && pending.has(m.id)) {
		const { resolve, reject } = pending.get(m.id);
		pending.delete(m.id);
		if (m.error) reject(new Error(JSON.stringify(m.error)));
		else resolve(m.result);
		return;
	}
	for (const w of [...waiters])
		if (w.method === m.method && w.pred(m.params)) {
			waiters.splice(waiters.indexOf(w), 1);
			w.resolve(m.params);
		}
});
function send(method, params = {}, sessionId = undefined) {
	const id = ++lastId;
	ws.send(JSON.stringify({ id, method, params, sessionId }));
	return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function once(method, pred = () => true) {
	return new Promise((resolve, reject) => {
		waiters.push({ method, pred, resolve });
		setTimeout(() => reject(new Error(`no ${method}`)), TIMEOUT_MS);
	});
}
function check(ok, what) {
	if (!ok) throw new Error(`check failed: ${what}`);
	console.log(`ok: ${what}`);
}

const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
const { sessionId: s } = await send('Target.attachToTarget', { targetId, flatten: true });
await send('Page.enable', {}, s);
await send('Emulation.setDeviceMetricsOverride',
    { width: 1280, height: 1000, deviceScaleFactor: 1, mobile: false }, s);

async function evaluate(expression) {
	const r = await send('Runtime.evaluate', { expression, returnByValue: true }, s);
	if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.text}`);
	return r.result.value;
}
// Runs what makes the page navigate, and waits for the new page's load.
async function navigating(what) {
	const loaded = once('Page.loadEventFired');
	await what();
	await loaded;
}
const go = (path) => navigating(() => send('Page.navigate', { url: base + path }, s));
async function shot(name) {
	if (!shots) return;
	const { data } = await send('Page.captureScreenshot', { format: 'png' }, s);
	writeFileSync(`${shots}/web-${name}.png`, Buffer.from(data, 'base64'));
}

try {
	await go('/s/a');
	check(await evaluate('location.pathname') === '/login', 'a stranger is sent to the login page');
	await shot('login');
	await navigating(() => evaluate(`
		document.querySelector('#user').value = ${JSON.stringify(user)};
		document.querySelector('#password').value = ${JSON.stringify(password)};
		document.querySelector('form.login').submit();`));
	check(await evaluate('location.pathname') === '/', 'the login form logs in');
	await shot('surveys');
	await go('/s/a');
	check(await evaluate("document.querySelectorAll('#respondents tbody tr').length") === 63,
	    'the table has a row per respondent');
	check(await evaluate("getComputedStyle(document.querySelector('.st-accepted')).backgroundColor")
	    === 'rgb(227, 244, 232)', 'a valid reply is shown green');
	check(await evaluate("getComputedStyle(document.querySelector('.st-invalid')).backgroundColor")
	    === 'rgb(253, 231, 233)', 'an invalid reply is shown red');
	check(await evaluate("document.querySelectorAll('svg rect').length") > 4, 'the chart is drawn');
	check(await evaluate("document.querySelector('#respondents').getBoundingClientRect().width") > 900,
	    'the table spans the page');
	await shot('survey');
	await go('/s/a/r/02');
	await shot('respondent');
	await go('/s/a/unmatched');
	await shot('unmatched');
	await go('/s/a');
	await send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: out, eventsEnabled: true });
	const begun = once('Browser.downloadWillBegin');
	const done = once('Browser.downloadProgress', (p) => p.state === 'completed');
	await evaluate("document.querySelector('a[href$=\"/workbook.xlsx\"]').click()");
	const { suggestedFilename } = await begun;
	await done;
	check(suggestedFilename === 'tong-hop-a.xlsx', 'the workbook downloads under its name');
	copyFileSync(`${out}/${suggestedFilename}`, `${out}/workbook.xlsx`);
} catch (e) {
	console.error(e.message);
	process.exitCode = 1;
} finally {
	await send('Browser.close').catch(() => {});
	chrome.kill();
	ws.close();
}
