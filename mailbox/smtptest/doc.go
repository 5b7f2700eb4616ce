// Package smtptest runs an in-process SMTP server (emersion/go-smtp) on
// 127.0.0.1 for tests of anything that sends mail.
//
//	srv := smtptest.Start(t)                 // closed by t.Cleanup
//	sender, _ := smtpsend.NewSender(srv.Options(), nil)
//	srv.Fail(smtptest.StageRcpt, 550, "5.1.1", 1) // refuse the next RCPT
//	srv.DropNext(smtptest.StageData)         // hang up at the next body
//	msgs := srv.WaitFor(t, 2, 5*time.Second) // raw bytes as received
//
// The server records each accepted message (envelope and raw data), counts
// connections so tests can prove connection reuse, and injects failures:
// a reply code at MAIL, RCPT or after the body for the next N commands, a
// dropped connection, or a delay before every answer. Options add PLAIN /
// XOAUTH2 / OAUTHBEARER authentication, STARTTLS or implicit TLS with a
// throwaway certificate (Options trusts it), and DiscardBodies, which keeps
// only the count so benchmarks can push 100k messages through.
package smtptest
