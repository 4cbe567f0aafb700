/*
 * url.h — what surveyd reads from a mail server's URL itself, before
 * libcurl has it (whether the server is on this machine), and the
 * connection settings that follow from it, alike for IMAP and SMTP.
 */
#ifndef SURVEYD_URL_H
#define SURVEYD_URL_H

#include <curl/curl.h>

/*
 * 1 when url ("imap://127.0.0.1:143/INBOX", "smtp://[::1]") names this
 * machine by 127.0.0.1, ::1 or localhost, whatever its scheme.  Plain
 * text is allowed there when the server offers no STARTTLS.
 */
int	url_is_loopback(const char *url);
/*
 * TLS as the url requires (STARTTLS always, except to this machine,
 * where it is tried), ca_file (or NULL: the system's store) for the
 * certificate, and timeout seconds for connecting and for each of the
 * server's answers: a server that goes silent is given up, not waited
 * on for ever.  libcurl's messages go to errbuf (CURL_ERROR_SIZE).
 */
void	url_connection_set(CURL *, const char *url, const char *ca_file,
	    long timeout, char *errbuf);

#endif
