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
