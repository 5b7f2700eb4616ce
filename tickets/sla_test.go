package tickets

import (
	"context"
	"strings"
	"testing"
	"time"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
)

var shanghai = time.FixedZone("UTC+8", 8*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// slaFixture is a service on an injected clock with one product ticket
// opened on Monday 23 November 2026, 10:00 UTC+8.
func slaFixture(t *testing.T) (*Service, *clock) {
	t.Helper()
	clk := &clock{t: at("2026-11-23 10:00")}
	cfg := testConfig(t)
	cfg.Agents.Address = "agents@xiyue.example"
	svc, err := NewService(ServiceOptions{Store: openTestStore(t, "sqlite"), Config: cfg, Now: clk.Now,
		Classifier: fixedClassifier{Classification{Category: "product", Language: "en"}}})
	must(t, err)
	pass(t, svc, newFakeSource(1, testmail.Message(1, 500, testmail.Options{From: "ann@example.com"})))
	return svc, clk
}

type fixedClassifier struct{ c Classification }

func (f fixedClassifier) Classify(*mailbox.Message) Classification { return f.c }

func ticketView(t *testing.T, svc *Service, ref string) *TicketView {
	t.Helper()
	v, err := svc.ShowTicket(context.Background(), ref)
	must(t, err)
	return v
}

func sameInstant(t *testing.T, what string, got *time.Time, want time.Time) {
	t.Helper()
	if got == nil || !got.Equal(want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestDeadlinesSetOnOpenAndShownInCalendarZone(t *testing.T) {
	svc, _ := slaFixture(t)
	v := ticketView(t, svc, "XY-1001")
	sameInstant(t, "first_response_due", v.FirstResponseDue, at("2026-11-24 10:00"))
	sameInstant(t, "resolution_due", v.ResolutionDue, at("2026-11-26 10:00"))
	if _, off := v.ResolutionDue.Zone(); off != 8*3600 {
		t.Errorf("resolution_due shown at offset %d, want +08:00", off)
	}
}

func TestRecategorizeMovesDeadlineAndStoresCorrection(t *testing.T) {
	svc, _ := slaFixture(t)
	v, err := svc.SetCategory(context.Background(), "XY-1001", "rights", "deletion", "agent1")
	must(t, err)
	// 15 business days from Mon 23 Nov 10:00: Mon 14 Dec 10:00.
	sameInstant(t, "resolution_due", v.ResolutionDue, at("2026-12-14 10:00"))
	if *v.RightsType != "deletion" || v.Category != "rights" {
		t.Errorf("ticket = %s/%v", v.Category, v.RightsType)
	}
	v, err = svc.SetCategory(context.Background(), "XY-1001", "rights", "complaint", "agent1")
	must(t, err)
	if v.Priority != "high" {
		t.Errorf("complaint priority = %s, want high", v.Priority)
	}
	cs, err := svc.Corrections(context.Background())
	must(t, err)
	if len(cs) != 2 || cs[0].Category != "rights" || cs[0].RightsType != "deletion" || cs[0].Subject == "" {
		t.Errorf("corrections = %+v", cs)
	}
	for _, bad := range [][2]string{{"spam", ""}, {"rights", ""}, {"product", "deletion"}} {
		if _, err := svc.SetCategory(context.Background(), "XY-1001", bad[0], bad[1], ""); err == nil {
			t.Errorf("SetCategory(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

func TestPendingPausesResolutionClock(t *testing.T) {
	svc, clk := slaFixture(t)
	clk.Add(2 * time.Hour) // Mon 12:00: the agent asks the customer something
	_, err := svc.Reply(context.Background(), "XY-1001", ReplyOptions{Body: "Which size?", Status: StatusPending})
	must(t, err)
	v := ticketView(t, svc, "XY-1001")
	sameInstant(t, "first_response_at", v.FirstResponseAt, at("2026-11-23 12:00"))
	if v.Status != StatusPending {
		t.Fatalf("status = %s", v.Status)
	}
	// The customer answers on Tuesday 12:00: 9 open hours later.
	clk.Add(24 * time.Hour)
	src := newFakeSource(1, testmail.Message(1, 500, testmail.Options{From: "ann@example.com"}))
	src.add(testmail.Message(2, 500, testmail.Options{From: "ann@example.com", Subject: "Re: [XY-1001] size"}))
	pass(t, svc, src)
	v = ticketView(t, svc, "XY-1001")
	if v.Status != StatusOpen {
		t.Fatalf("status after the customer's answer = %s, want open", v.Status)
	}
	// Thu 26 Nov 10:00 plus one business day paused: Fri 27 Nov 10:00.
	sameInstant(t, "resolution_due", v.ResolutionDue, at("2026-11-27 10:00"))
}

func TestSchedulerWarnsThenReportsBreachOnce(t *testing.T) {
	svc, clk := slaFixture(t)
	ctx := context.Background()
	agentMails := func() []OutboxRow {
		var rows []OutboxRow
		must(t, svc.store.db.Where("kind = ?", "agent").Order("id").Find(&rows).Error)
		return rows
	}
	must(t, svc.CheckSLA(ctx))
	if n := len(agentMails()); n != 0 {
		t.Fatalf("%d agent mails a day before the deadline", n)
	}
	clk.t = at("2026-11-24 08:30") // 1.5 open hours... before opening: 1 open hour left at 09:00-10:00
	must(t, svc.CheckSLA(ctx))
	rows := agentMails()
	if len(rows) != 1 || !strings.Contains(rows[0].Subject, "XY-1001") || rows[0].Rcpt != "agents@xiyue.example" {
		t.Fatalf("after entering the warning lead: %+v", rows)
	}
	must(t, svc.CheckSLA(ctx))
	if n := len(agentMails()); n != 1 {
		t.Fatalf("the warning was sent %d times", n)
	}
	clk.t = at("2026-11-24 10:00").Add(30 * time.Second)
	must(t, svc.CheckSLA(ctx))
	must(t, svc.CheckSLA(ctx))
	rows = agentMails()
	if len(rows) != 2 {
		t.Fatalf("after the deadline: %d agent mails, want warning + breach", len(rows))
	}
	v := ticketView(t, svc, "XY-1001")
	if !v.Breached {
		t.Error("ticket not flagged breached")
	}
	list, err := svc.ListTickets(ctx, ListFilter{DueBefore: ptr(at("2026-11-24 11:00"))})
	must(t, err)
	if len(list) != 1 {
		t.Errorf("--due-before found %d tickets, want 1", len(list))
	}
}

func ptr[T any](v T) *T { return &v }

func TestSchedulerRunsJobsAndSurvivesPanics(t *testing.T) {
	svc, _ := slaFixture(t)
	ran := make(chan string, 10)
	sc, err := svc.NewScheduler(
		Job{Name: "panics", Spec: "@every 1s", Run: func(context.Context) error { panic("boom") }},
		Job{Name: "ticks", Spec: "@every 1s", Run: func(context.Context) error { ran <- "tick"; return nil }},
	)
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sc.Run(ctx); close(done) }()
	for i := 0; i < 2; i++ {
		select {
		case <-ran:
		case <-time.After(5 * time.Second):
			t.Fatal("the ticking job did not run twice in 5s")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("scheduler did not stop")
	}
}
