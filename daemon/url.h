/*
 * url.h — what surveyd reads from a server's URL itself, before libcurl
 * has it: whether the server is on this machine.
 */
#ifndef SURVEYD_URL_H
#define SURVEYD_URL_H

/*
 * 1 when url ("imap://127.0.0.1:143/INBOX", "smtp://[::1]") names this
 * machine by 127.0.0.1, ::1 or localhost, whatever its scheme.  Plain
 * text is allowed there when the server offers no STARTTLS.
 */
int	url_is_loopback(const char *url);

#endif
