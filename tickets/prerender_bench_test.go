package tickets

import (
	"testing"
	"time"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
)

// BenchmarkPrerenderAck renders one acknowledgement as a parse worker
// does for every message that would open a ticket.
func BenchmarkPrerenderAck(b *testing.B) {
	svc := newTestService(b, openTestStore(b, "sqlite"), testConfig(b))
	brand := &svc.cfg.Brands[0]
	m := mailbox.Parse(testmail.Message(1, 0, testmail.Options{}), mailbox.ParseOptions{})
	c := svc.classifier.Classify(m)
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		if svc.prerenderAck(brand, m, c, now) == nil {
			b.Fatal("no acknowledgement rendered")
		}
	}
}

// BenchmarkIncomingRow builds the messages row and the content key of
// generated ingest mail, as a parse worker does for every message.
func BenchmarkIncomingRow(b *testing.B) {
	var fs []*fetched
	for i := range 50 {
		m := mailbox.Parse(testmail.Message(i, 0, testmail.Options{}), mailbox.ParseOptions{})
		fs = append(fs, &fetched{uid: uint32(i + 1), parsed: m})
	}
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f := fs[i%len(fs)]
		i++
		f.contentKey = contentKey(f.parsed)
		if incomingRow("xiyue", "INBOX", 1, f, now) == nil {
			b.Fatal("no row")
		}
	}
}
