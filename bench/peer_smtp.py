#!/usr/bin/python3
"""bench/peer_smtp.py — the yardstick for sending: Python's smtplib sending
the same prebuilt mails surveyd sends, over one connection, reconnecting
when the server ends the session's quota (OpenSMTPD: "452 4.5.3 Too many
messages" after 100), as a plain script would.

    peer_smtp.py HOST PORT FROM LIST

LIST holds one mail a line: "RECIPIENTS<TAB>PATH", recipients separated
by ", " (as surveyd's outbox keeps them), PATH the built mail's bytes
(surveyd's archive).  Every mail is read into memory before the clock
starts; the timed part is connect, EHLO, and MAIL/RCPT/DATA for each.
Prints one line of key=value pairs: mails, sent, refused, connections,
wall_s, rate_per_min.
"""
import smtplib
import sys
import time

QUOTA_CODE = 452


def main():
    host, port, sender, listing = sys.argv[1:5]
    mails = []
    with open(listing, encoding="utf-8") as f:
        for line in f:
            rcpts, path = line.rstrip("\n").split("\t")
            with open(path, "rb") as m:
                mails.append((rcpts.split(", "), m.read()))
    sent = refused = connections = 0
    start = time.monotonic()
    smtp = None
    for rcpts, data in mails:
        for attempt in (1, 2):
            if smtp is None:
                smtp = smtplib.SMTP(host, int(port),
                                    local_hostname="example.test")
                smtp.ehlo()
                connections += 1
            try:
                bad = smtp.sendmail(sender, rcpts, data)
                refused += len(bad)
                sent += 1
                break
            except smtplib.SMTPSenderRefused as e:
                # The session's quota is spent: a new session, same mail.
                if e.smtp_code != QUOTA_CODE or attempt == 2:
                    raise
                try:
                    smtp.quit()
                except smtplib.SMTPException:
                    pass
                smtp = None
    if smtp is not None:
        smtp.quit()
    wall = time.monotonic() - start
    print(f"mails={len(mails)} sent={sent} refused={refused} "
          f"connections={connections} wall_s={wall:.3f} "
          f"rate_per_min={len(mails) / wall * 60:.0f}")
    return 0 if sent == len(mails) and refused == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
