package tickets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
)

// The new text is stored only when it cannot be derived from the text;
// whatever was stored, FullNewText gives back what the parser found.
func TestNewTextStoredOnlyWhenNeeded(t *testing.T) {
	for _, tc := range []struct {
		name       string
		body       string
		wantStored bool
	}{
		{"plain", "Where is my parcel?\r\nOrder XY20261101.\r\n", false},
		{"blank lines around and inside", "\r\n\r\nHello,\r\n\r\n\r\n\r\nwhere is it?\r\n\r\n\r\n", false},
		{"quoted history", "Still waiting.\r\n\r\nOn Mon, 2 Nov 2026, Shop wrote:\r\n> We shipped it.\r\n", true},
		{"signature", "Thanks!\r\n\r\n-- \r\nAnna Lee\r\nSent from the office\r\n", true},
		{"only a signature: the new text is empty", "-- \r\nAnna Lee\r\n", false},
		{"NUL inside: cleaning changes the squeeze", "a\r\n\x00\r\n\r\nb\r\n", true},
		{"empty", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := []byte("From: Anna <anna@example.com>\r\nSubject: parcel\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body)
			m := mailbox.Parse(raw, mailbox.ParseOptions{})
			stored := storedNewText(clean(m.Text), m.NewText, clean(m.Quoted), clean(m.Signature))
			if (stored != "") != tc.wantStored {
				t.Errorf("stored new text %q (text %q): want stored = %v", stored, m.Text, tc.wantStored)
			}
			row := Message{Text: clean(m.Text), NewText: stored, Quoted: clean(m.Quoted), Signature: clean(m.Signature)}
			if got, want := row.FullNewText(), clean(m.NewText); got != want {
				t.Errorf("FullNewText = %q, want the parsed %q", got, want)
			}
		})
	}
}

// Ingest keeps a plain mail's text once and still shows its new text.
func TestIngestKeepsPlainTextOnce(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		src := newFakeSource(1)
		src.add(testmail.Message(0, 0, testmail.Options{Body: "Hello,\r\n\r\nwhere is my parcel?\r\n\r\n\r\n"}))
		src.add(testmail.Message(1, 0, testmail.Options{Body: "Still waiting.\r\n\r\n> We shipped it.\r\n"}))
		pass(t, svc, src)
		var rows []Message
		must(t, store.db.Order("id").Where("direction = ?", DirectionIn).Find(&rows).Error)
		if len(rows) != 2 {
			t.Fatalf("%d incoming rows, want 2", len(rows))
		}
		if rows[0].NewText != "" || rows[1].NewText != "Still waiting." {
			t.Errorf("stored new_text = %q, %q; want \"\" (derived) and the reply's own line", rows[0].NewText, rows[1].NewText)
		}
		v, err := svc.ShowTicket(context.Background(), "XY-1001")
		must(t, err)
		if got := v.Messages[0].NewText; got != "Hello,\n\nwhere is my parcel?" {
			t.Errorf("shown new text = %q", got)
		}
	})
}

// contentKey is stored as a dedupe key, so its bytes must not change when
// its code does: this is the formula keys were first made with.
func TestContentKeyMatchesItsFirstFormula(t *testing.T) {
	for i, raw := range [][]byte{
		testmail.Message(1, 3000, testmail.Options{}),
		testmail.Message(2, 500, testmail.Options{From: "ANN@Example.com", Subject: "Re: [XY-1001] Ring size"}),
		[]byte("From: x@y.example\r\nSubject: \xff\xfe bad\r\n\r\nbody \x00 with NUL"),
		[]byte("Subject: no date, no sender\r\n\r\n"),
	} {
		m := mailbox.Parse(raw, mailbox.ParseOptions{})
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s", strings.ToLower(m.From.Email), m.Date.Unix(), m.Subject, m.Text)
		if got, want := contentKey(m), hex.EncodeToString(h.Sum(nil)[:16]); got != want {
			t.Errorf("message %d: content key %s, want %s", i, got, want)
		}
	}
}
