package tickets

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"helpdesk/mailbox"
	"helpdesk/mailbox/smtptest"
)

// TestVerificationMailKeepsNoCode: the customer gets the code and the
// link; our copy of the verification mail never shows them in the
// ticket's thread, and loses them in the rendered mail once it is sent.
// The code still works. The Chinese mail is base64 on the wire, so the
// rewrite must decode it.
func TestVerificationMailKeepsNoCode(t *testing.T) {
	for _, tc := range []struct{ lang, body string }{
		{"en", deletionBody},
		{"zh", "您好，请删除我的账户和你们保存的我的全部个人信息。"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			forEachDriver(t, func(t *testing.T, driver string) {
				e := newPrivacyEnv(t, driver, nil)
				e.deliver(pmail{from: "ann@example.com", subject: "Personal data", body: tc.body})
				rows := e.outbox("XY-1001", "verify")
				if len(rows) != 1 {
					t.Fatalf("verification mails = %d, want 1", len(rows))
				}
				row := rows[0]
				code, mid := e.lastCode("XY-1001")
				link := verifyLink.FindString(e.mailText(row))
				token := strings.TrimPrefix(link, "/verify/")
				if link == "" {
					t.Fatal("setup: no link in the queued mail")
				}
				var msg Message
				must(t, e.store.db.First(&msg, *row.MessageRowID).Error)
				if strings.Contains(msg.Text, code) || strings.Contains(msg.Text, token) ||
					!strings.Contains(msg.Text, withheldCode) || !strings.Contains(msg.Text, withheldLink) {
					t.Errorf("the thread's copy shows the secrets or no placeholder:\n%s", msg.Text)
				}

				srv := smtptest.Start(t)
				must(t, e.svc.DrainOutbox(context.Background(), OutboxOptions{NewSender: senderTo(srv)}))
				sent := srv.Messages()
				if len(sent) != 1 {
					t.Fatalf("sent %d mails, want 1", len(sent))
				}
				got := mailbox.Parse(sent[0].Data, mailbox.ParseOptions{})
				if !strings.Contains(got.Text, code) || !strings.Contains(got.Text, link) || !strings.Contains(got.HTML, link) {
					t.Errorf("the customer's mail lacks the code or the link:\n%s", got.Text)
				}
				if tc.lang == "zh" && !bytes.Contains(sent[0].Data, []byte("base64")) {
					t.Error("setup: the Chinese mail was not base64")
				}

				raw, err := loadRaw(e.store.db, *row.RawID)
				must(t, err)
				kept := mailbox.Parse(raw, mailbox.ParseOptions{})
				for what, s := range map[string]string{"text": kept.Text, "html": kept.HTML, "bytes": string(raw)} {
					if strings.Contains(s, code) || strings.Contains(s, token) {
						t.Errorf("stored mail's %s still holds the code or token", what)
					}
				}
				if !strings.Contains(kept.Text, withheldCode) || !strings.Contains(kept.Text, withheldLink) ||
					kept.Subject != got.Subject || kept.MessageID != got.MessageID {
					t.Errorf("stored mail after sending: subject %q id %q text\n%s", kept.Subject, kept.MessageID, kept.Text)
				}

				// The customer answers with the code from the mail they got.
				e.deliver(pmail{from: "ann@example.com", subject: "Re: " + got.Subject, body: code, inReplyTo: mid})
				if st := e.ticket("XY-1001").Status; st == StatusAwaitingVerification {
					t.Errorf("the code no longer verifies: status %s", st)
				}
			})
		})
	}
}

// TestWithholdJobCatchesACrash: a verification mail marked sent by a
// process that died before rewriting it still holds its code; the
// scheduled sweep removes it, and a second sweep changes nothing.
func TestWithholdJobCatchesACrash(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, nil)
		e.deliver(pmail{from: "ann@example.com", subject: "Personal data", body: deletionBody})
		row := e.outbox("XY-1001", "verify")[0]
		code, _ := e.lastCode("XY-1001")
		// What finish records, without the rewrite that follows it.
		must(t, e.store.finishOutbox(context.Background(), row.ID, OutboxSent, "250 ok", "", e.clock()))
		if !strings.Contains(e.mailText(row), code) {
			t.Fatal("setup: the code is gone before the sweep")
		}
		must(t, e.svc.WithholdFinishedVerifications(context.Background()))
		if text := e.mailText(row); strings.Contains(text, code) || !strings.Contains(text, withheldCode) {
			t.Errorf("after the sweep:\n%s", text)
		}
		before, err := loadRaw(e.store.db, *row.RawID)
		must(t, err)
		must(t, e.svc.WithholdFinishedVerifications(context.Background()))
		after, err := loadRaw(e.store.db, *row.RawID)
		must(t, err)
		if !bytes.Equal(before, after) {
			t.Error("a second sweep rewrote the mail again")
		}
	})
}
