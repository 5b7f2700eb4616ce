// Package imaptest provides IMAP servers for tests of the ingest code and
// of everything above it.
//
// Two kinds, one Server type:
//
//   - StartMemServer: go-imap's in-memory server on 127.0.0.1, started per
//     test, always available. Plain, STARTTLS and implicit TLS (a
//     self-signed certificate made on the fly), IDLE, MOVE, UIDPLUS, and
//     the OAuth2 SASL mechanisms XOAUTH2 and OAUTHBEARER (the account
//     password is accepted as the bearer token).
//   - Dovecot: the real server started by scripts/services.sh, found through
//     the environment; tests skip with a message when it is not set.
//
// To run against Dovecot:
//
//	scripts/services.sh start && eval "$(scripts/services.sh env)"
//
// which sets
//
//	HELPDESK_TEST_DOVECOT       host:port for plain and STARTTLS
//	HELPDESK_TEST_DOVECOT_TLS   host:port for implicit TLS (optional)
//	HELPDESK_TEST_DOVECOT_CERT  PEM file of the server's self-signed certificate (optional)
//	HELPDESK_TEST_DOVECOT_USER  account (default helpdesk1)
//	HELPDESK_TEST_DOVECOT_PASS  password (default helpdesk-test)
//
// Isolation: all tests share one Dovecot account, so each Dovecot call
// creates a fresh uniquely named folder (Server.Folder) and deletes it, and
// every folder whose name starts with it, when the test ends. Tests that
// need a second folder (a move destination) should name it Folder + "-" +
// suffix so that cleanup finds it. The memory server is private to the
// test and uses INBOX.
//
// BareFetchToDir is the reference for ingest benchmarks: the least work a
// client can do to copy a folder to disk with go-imap.
package imaptest
