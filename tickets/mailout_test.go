package tickets

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/mailbox/smtptest"
)

// TemplateBrand's cached service hours belong to their brand and follow
// the zone's daylight-saving label, however often they are asked for.
func TestTemplateBrandServiceHoursPerBrandAndZone(t *testing.T) {
	cfg := testConfig(t)
	berlin := config.Calendar{Timezone: "Europe/Berlin", Hours: map[string]string{"mon": "08:00-16:00", "tue": "08:00-16:00"}}
	other := cfg.Brands[0]
	other.ID, other.Name, other.Address, other.TicketPrefix = "home", "Home Goods", "help@home.example", "HG"
	other.PrivacyContact = "privacy@home.example"
	other.Calendar = &berlin
	cfg.Brands = append(cfg.Brands, other)
	svc := newTestService(t, openTestStore(t, "sqlite"), cfg)
	now := time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)
	svc.now = func() time.Time { return now }

	for round := 0; round < 2; round++ { // the second round comes from the cache
		xy := svc.TemplateBrand(&svc.cfg.Brands[0])
		hg := svc.TemplateBrand(&svc.cfg.Brands[1])
		if !strings.Contains(xy.ServiceHours, "09:00") || !strings.Contains(xy.ServiceHours, "UTC+8") {
			t.Errorf("round %d: xiyue hours %q, want 09:00 and UTC+8", round, xy.ServiceHours)
		}
		if !strings.Contains(hg.ServiceHours, "08:00") || !strings.Contains(hg.ServiceHours, "UTC+2") {
			t.Errorf("round %d: home hours %q, want 08:00 and summer time UTC+2", round, hg.ServiceHours)
		}
		if xy.ServiceHoursByLang["zh"] == hg.ServiceHoursByLang["zh"] {
			t.Errorf("round %d: both brands share the Chinese wording %q", round, xy.ServiceHoursByLang["zh"])
		}
	}
	now = time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if hg := svc.TemplateBrand(&svc.cfg.Brands[1]); !strings.Contains(hg.ServiceHours, "UTC+1") {
		t.Errorf("winter: home hours %q, want UTC+1", hg.ServiceHours)
	}
}

// The ingest writer renders acknowledgements on another goroutine while it
// stores the customer's message (startAck). What it stores must be what
// goes out: each ticket's acknowledgement carries that ticket's reference
// and Message-ID, and the bytes sent are the stored copy.
func TestAcknowledgementsRenderedBesideTheWriter(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		srv := smtptest.Start(t)
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		const n = 20
		src := generatedSource(n, 1500)
		pass(t, svc, src)
		var rows []OutboxRow
		must(t, store.db.Where("kind = ?", "ack").Order("id").Find(&rows).Error)
		if len(rows) != n {
			t.Fatalf("%d acknowledgements queued, want %d", len(rows), n)
		}
		stored := map[string][]byte{}
		for _, r := range rows {
			var tk Ticket
			must(t, store.db.First(&tk, *r.TicketID).Error)
			raw, err := loadRaw(store.db, *r.RawID)
			must(t, err)
			m := mailbox.Parse(raw, mailbox.ParseOptions{})
			if !strings.Contains(m.Subject, tk.Ref) || m.MessageID != r.MessageID ||
				!strings.HasPrefix(r.MessageID, strings.ToLower(tk.Ref)+".") {
				t.Errorf("ticket %s: acknowledgement %q with Message-ID %q (row says %q)", tk.Ref, m.Subject, m.MessageID, r.MessageID)
			}
			stored[r.MessageID] = raw
		}
		must(t, svc.DrainOutbox(context.Background(), OutboxOptions{Workers: 2, NewSender: senderTo(srv)}))
		got := srv.Messages()
		if len(got) != n {
			t.Fatalf("server received %d mails, want %d", len(got), n)
		}
		for _, r := range got {
			m := mailbox.Parse(r.Data, mailbox.ParseOptions{})
			if want, ok := stored[m.MessageID]; !ok || !bytes.Equal(bytes.TrimRight(r.Data, "\r\n"), bytes.TrimRight(want, "\r\n")) {
				t.Errorf("sent %s differs from its stored copy (stored: %v)", m.MessageID, ok)
			}
		}
	})
}
