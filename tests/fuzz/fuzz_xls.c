/*
 * fuzz_xls.c — libFuzzer target for the .xls reader (xls.c on freexl), in
 * process, as the parser child calls it: reader_xls.read() on the bytes.
 *
 * Debian's freexl 1.0.6 is not ours and not instrumented, and it misreads
 * damaged files in five ways this target met within minutes:
 *
 *   - it hands iconv() a length past the end of a stack buffer
 *     (tests/fixtures/hostile/freexl-overread.xls): only ASan's interceptor
 *     sees it.  Suppressed below: errors reported inside an interceptor
 *     (iconv, memcpy...) called from libfreexl;
 *   - freexl_close() leaves a few KB behind on some damaged files
 *     (freexl_open() + freexl_close() alone leak them).  Suppressing them
 *     is not enough: libFuzzer runs a whole LeakSanitizer check after each
 *     input that leaks, which took this target down to 36 runs a second,
 *     so leak detection is off here (detect_leaks=0 below).  xls.c's own
 *     memory is one grid, freed by grid_free() as in every reader;
 *   - it callocs rows x columns cells as a sheet declares them, up to
 *     400 MB for a damaged dimension record, at every open: in production
 *     RLIMIT_AS makes that fail, here max_allocation_size_mb=32 (with
 *     allocator_may_return_null) does, and what freexl leaks of them
 *     with it, so the fuzzer stays under its RSS limit;
 *   - its memcpy() runs past a heap block inside freexl_open()
 *     (tests/fixtures/hostile/freexl-heap-overread.xls): without ASan the
 *     bytes beyond are read silently, under ASan's allocator the read may
 *     cross into an unmapped page, a SEGV that depends on the heap's
 *     layout; and on some files it free()s a pointer it never allocated
 *     (tests/fixtures/hostile/freexl-bad-free.xls), which faults in ASan's
 *     allocator.  A signal cannot be suppressed, so this target catches
 *     SIGSEGV and SIGBUS itself: a fault while xls.c is being run, in
 *     libfreexl or libc or with libfreexl on the stack, abandons that input
 *     (counted, and its descriptors closed); any other fault, xls.c's own
 *     included, goes on to ASan's handler and is reported as usual.
 *
 * One more is not caught: a double free inside freexl
 * (tests/fixtures/hostile/freexl-double-free.xls) is an ASan error, not a
 * signal, and still ends a run.
 *
 * In production the parser child (sandbox.c, under RLIMIT_AS and
 * RLIMIT_CPU) contains them all: one file refused, the next one read.
 */
#include <dlfcn.h>
#include <execinfo.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "grid.h"
#include "reader.h"

int		 LLVMFuzzerInitialize(int *, char ***);
int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
const char	*__asan_default_options(void);

const char *
__asan_default_options(void)
{
	return "detect_leaks=0:allocator_may_return_null=1:"
	    "max_allocation_size_mb=32:quarantine_size_mb=64";
}

static struct sigaction	 prev_segv, prev_bus;
static sigjmp_buf	 escape;
static volatile sig_atomic_t in_reader;
static unsigned long	 abandoned;

static int
in_module(void *pc, const char *name)
{
	Dl_info di;

	return pc != NULL && dladdr(pc, &di) != 0 && di.dli_fname != NULL &&
	    strstr(di.dli_fname, name) != NULL;
}

/*
 * 1 when the fault is freexl's: its instruction in freexl or libc (the
 * memcpy), or freexl on the stack above it (a free() of a pointer freexl
 * made up faults in ASan's allocator).  freexl calls nothing of ours back,
 * so with freexl on the stack the fault happened inside its call.
 */
static int
fault_is_freexl(void *pc)
{
	void *frames[48];
	int i, n;

	if (in_module(pc, "libfreexl.so") || in_module(pc, "libc.so"))
		return 1;
	n = backtrace(frames, 48);
	for (i = 0; i < n; i++)
		if (in_module(frames[i], "libfreexl.so"))
			return 1;
	return 0;
}

static void
on_fault(int sig, siginfo_t *si, void *uc)
{
	const struct sigaction *prev = sig == SIGBUS ? &prev_bus : &prev_segv;
	void *pc = (void *)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];

	if (in_reader && fault_is_freexl(pc)) {
		in_reader = 0;
		siglongjmp(escape, 1);
	}
	/* Not freexl's: ASan (or libFuzzer) reports it. */
	if (prev->sa_flags & SA_SIGINFO)
		prev->sa_sigaction(sig, si, uc);
	else if (prev->sa_handler != SIG_IGN && prev->sa_handler != SIG_DFL)
		prev->sa_handler(sig);
	else {
		signal(sig, SIG_DFL);
		raise(sig);
	}
}

static void
report(void)
{
	fprintf(stderr, "fuzz_xls: %lu inputs abandoned on a fault inside "
	    "freexl\n", abandoned);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sigaction sa;

	(void)argc;
	(void)argv;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &prev_segv);
	sigaction(SIGBUS, &sa, &prev_bus);
	atexit(report);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct limits l;
	char err[GRID_ERRLEN];
	int fd, first;

	limits_default(&l);
	/* Small limits reach the limit paths with small inputs. */
	l.sheet_cells = 10000;
	l.sheets = 16;
	/* The lowest free descriptor: anything from here on is the read's. */
	if ((first = dup(0)) != -1)
		close(first);
	if (sigsetjmp(escape, 1) != 0) {
		/* freexl's FILE and xls.c's memfd, left open by the jump. */
		for (fd = first; first != -1 && fd < first + 16; fd++)
			close(fd);
		abandoned++;
		return 0;
	}
	in_reader = 1;
	grid_free(reader_xls.read(data, len, &l, err, sizeof(err)));
	in_reader = 0;
	return 0;
}
