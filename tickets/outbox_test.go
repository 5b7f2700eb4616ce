package tickets

import (
	"context"
	"fmt"
	gomail "github.com/wneessen/go-mail"
	"helpdesk/internal/testmail"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/mailbox/smtpsend"
	"helpdesk/mailbox/smtptest"
)

// clock is a settable time source for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func senderTo(srv *smtptest.Server) SenderFactory {
	return func(*config.Brand) (RawSender, error) { return smtpsend.NewSender(srv.Options(), nil) }
}

func queue(t *testing.T, svc *Service, o Outgoing) *OutboxRow {
	t.Helper()
	var row *OutboxRow
	err := svc.store.db.Transaction(func(tx *gorm.DB) error {
		var err error
		row, err = svc.enqueue(tx, o)
		return err
	})
	must(t, err)
	return row
}

func outgoing(svc *Service, to string, auto bool) Outgoing {
	return Outgoing{Brand: &svc.cfg.Brands[0], Kind: "reply", Automatic: auto,
		To: mailbox.Address{Email: to}, Subject: "Re: your question", Text: "Hello,\nthanks."}
}

func outboxStatus(t *testing.T, svc *Service, id int64) OutboxRow {
	t.Helper()
	var r OutboxRow
	must(t, svc.store.db.First(&r, id).Error)
	return r
}

func TestOutboxSendsEachQueuedMailOnce(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		srv := smtptest.Start(t)
		svc := newTestService(t, openTestStore(t, driver), testConfig(t))
		var ids []int64
		for i := 0; i < 12; i++ {
			ids = append(ids, queue(t, svc, outgoing(svc, "ann@example.com", false)).ID)
		}
		opts := OutboxOptions{Workers: 3, NewSender: senderTo(srv)}
		must(t, svc.DrainOutbox(context.Background(), opts))
		must(t, svc.DrainOutbox(context.Background(), opts))
		if n := srv.Count(); n != 12 {
			t.Fatalf("server received %d mails, want 12", n)
		}
		for _, id := range ids {
			r := outboxStatus(t, svc, id)
			if r.Status != OutboxSent || !strings.HasPrefix(r.ServerReply, "250") || r.SentAt == nil {
				t.Errorf("row %d = %s %q", id, r.Status, r.ServerReply)
			}
		}
		if c := srv.Connections(); c > 3 {
			t.Errorf("%d SMTP connections for 3 workers; connections are not reused", c)
		}
	})
}

func TestOutboxRetriesTemporaryAndFailsPermanent(t *testing.T) {
	srv := smtptest.Start(t)
	clk := &clock{t: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	svc, err := NewService(ServiceOptions{Store: openTestStore(t, "sqlite"), Config: testConfig(t), Now: clk.Now})
	must(t, err)
	opts := OutboxOptions{Workers: 1, MaxAttempts: 3, NewSender: senderTo(srv)}

	temp := queue(t, svc, outgoing(svc, "ann@example.com", false))
	srv.Fail("rcpt", 451, "4.3.0", 1)
	must(t, svc.DrainOutbox(context.Background(), opts))
	r := outboxStatus(t, svc, temp.ID)
	if r.Status != OutboxQueued || r.Attempts != 1 || !r.NextAttemptAt.After(clk.Now()) || !strings.Contains(r.LastError, "451") {
		t.Fatalf("after a 451: %+v, want queued for a later retry", r)
	}
	must(t, svc.DrainOutbox(context.Background(), opts))
	if srv.Count() != 0 {
		t.Fatal("retried before its time")
	}
	clk.Add(2 * time.Hour)
	must(t, svc.DrainOutbox(context.Background(), opts))
	if r := outboxStatus(t, svc, temp.ID); r.Status != OutboxSent || srv.Count() != 1 {
		t.Fatalf("after the retry: %s, %d delivered", r.Status, srv.Count())
	}

	perm := queue(t, svc, outgoing(svc, "gone@example.com", false))
	srv.Fail("rcpt", 550, "5.1.1", 1)
	must(t, svc.DrainOutbox(context.Background(), opts))
	if r := outboxStatus(t, svc, perm.ID); r.Status != OutboxFailed || !strings.Contains(r.LastError, "550") {
		t.Fatalf("after a 550: %+v, want failed", r)
	}

	exhaust := queue(t, svc, outgoing(svc, "busy@example.com", false))
	srv.Fail("data", 452, "4.3.1", -1)
	for i := 0; i < 4; i++ {
		must(t, svc.DrainOutbox(context.Background(), opts))
		clk.Add(2 * time.Hour)
	}
	if r := outboxStatus(t, svc, exhaust.ID); r.Status != OutboxFailed || r.Attempts != 3 {
		t.Fatalf("after max attempts: %+v, want failed after 3", r)
	}
}

func TestOutboxLoopGuard(t *testing.T) {
	svc := newTestService(t, openTestStore(t, "sqlite"), testConfig(t))
	cases := []struct {
		to, want string
	}{
		{"mailer-daemon@example.com", "no-reply"},
		{"noreply@shop.example", "no-reply"},
		{"support@xiyue.example", "our own"},
	}
	for _, c := range cases {
		r := queue(t, svc, outgoing(svc, c.to, true))
		if r.Status != OutboxSuppressed || !strings.Contains(r.LastError, c.want) {
			t.Errorf("auto mail to %s: %s %q", c.to, r.Status, r.LastError)
		}
	}
	// At most 3 automatic mails per hour to one person.
	var statuses []string
	for i := 0; i < 5; i++ {
		statuses = append(statuses, queue(t, svc, outgoing(svc, "robot@example.com", true)).Status)
	}
	want := []string{"queued", "queued", "queued", "suppressed", "suppressed"}
	if strings.Join(statuses, ",") != strings.Join(want, ",") {
		t.Errorf("statuses = %v, want %v", statuses, want)
	}
	// A person's reply is never rate-limited.
	if r := queue(t, svc, outgoing(svc, "robot@example.com", false)); r.Status != OutboxQueued {
		t.Errorf("agent reply status = %s, want queued", r.Status)
	}
}

func TestOutboxShutdownHandsBackUnsentClaims(t *testing.T) {
	srv := smtptest.Start(t)
	srv.SetDelay(50 * time.Millisecond)
	svc := newTestService(t, openTestStore(t, "sqlite"), testConfig(t))
	for i := 0; i < 20; i++ {
		queue(t, svc, outgoing(svc, "ann@example.com", false))
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		done <- svc.RunOutbox(ctx, OutboxOptions{Workers: 1, ClaimBatch: 20, NewSender: senderTo(srv)})
	}()
	srv.WaitFor(t, 2, 5*time.Second)
	cancel()
	must(t, <-done)
	counts, err := svc.store.OutboxCounts(context.Background())
	must(t, err)
	if counts[OutboxSending] != 0 {
		t.Fatalf("%d rows left claimed after a clean shutdown", counts[OutboxSending])
	}
	sent := counts[OutboxSent]
	if int(sent) != srv.Count() {
		t.Fatalf("%d rows marked sent, server has %d", sent, srv.Count())
	}
	must(t, svc.DrainOutbox(context.Background(), OutboxOptions{Workers: 2, NewSender: senderTo(srv)}))
	if srv.Count() != 20 {
		t.Errorf("after restart the server has %d mails, want exactly 20", srv.Count())
	}
}

// TestAutoResponderLoopIsCapped: a robot that answers every mail with a
// fresh mail (no Auto-Submitted, no threading headers: the worst kind)
// gets at most the per-recipient cap of acknowledgements.
func TestAutoResponderLoopIsCapped(t *testing.T) {
	srv := smtptest.Start(t)
	svc := newTestService(t, openTestStore(t, "sqlite"), testConfig(t))
	src := newFakeSource(1)
	for round := 0; round < 10; round++ {
		src.add(testmail.Message(100+round, 300, testmail.Options{From: "robot@example.com",
			Subject: fmt.Sprintf("Your message was received (%d)", round)}))
		pass(t, svc, src)
		must(t, svc.DrainOutbox(context.Background(), OutboxOptions{NewSender: senderTo(srv)}))
	}
	if n := srv.Count(); n != 3 {
		t.Errorf("the auto-responder got %d acknowledgements, want the cap of 3", n)
	}
	var suppressed int64
	must(t, svc.store.db.Model(&OutboxRow{}).Where("status = ?", OutboxSuppressed).Count(&suppressed).Error)
	if suppressed != 7 {
		t.Errorf("%d suppressed rows, want 7 recorded on their tickets", suppressed)
	}
}

// BenchmarkOutbox measures the outbox (claim, load, send, mark) against a
// bare go-mail loop sending the same rendered mails over one reused
// connection to the same local go-smtp server, in the same run.
func BenchmarkOutbox(b *testing.B) {
	srv := smtptest.Start(b, smtptest.DiscardBodies())
	svc := newTestService(b, openTestStore(b, "sqlite"), testConfig(b))
	const n = 2000
	mk := func() {
		err := svc.store.db.Transaction(func(tx *gorm.DB) error {
			for i := 0; i < n; i++ {
				if _, err := svc.enqueue(tx, Outgoing{Brand: &svc.cfg.Brands[0], Kind: "reply",
					To: mailbox.Address{Email: fmt.Sprintf("c%d@example.com", i)}, Subject: "Re: your order",
					Text: strings.Repeat("Thank you for your patience. ", 100)}); err != nil {
					return err
				}
			}
			return nil
		})
		must(b, err)
	}
	b.Run("outbox", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			mk()
			b.StartTimer()
			must(b, svc.DrainOutbox(context.Background(), OutboxOptions{Workers: 1, ClaimBatch: 50, NewSender: senderTo(srv)}))
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("bare-go-mail", func(b *testing.B) {
		// The reference: go-mail's own client, one reused connection,
		// building and sending the same mail in a loop.
		text := strings.Repeat("Thank you for your patience. ", 100)
		for i := 0; i < b.N; i++ {
			c, err := gomail.NewClient(srv.Host, gomail.WithPort(srv.Port), gomail.WithTLSPolicy(gomail.NoTLS),
				gomail.WithSMTPAuth(gomail.SMTPAuthNoAuth))
			must(b, err)
			must(b, c.DialWithContext(context.Background()))
			for j := 0; j < n; j++ {
				msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
				must(b, msg.From("support@xiyue.example"))
				must(b, msg.To(fmt.Sprintf("c%d@example.com", j)))
				msg.Subject("Re: your order")
				msg.SetMessageID()
				msg.SetBodyString(gomail.TypeTextPlain, text)
				must(b, c.Send(msg))
			}
			c.Close()
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
}

// A permanent failure is shown on the ticket's message.
func TestPermanentFailureShownOnTicket(t *testing.T) {
	srv := smtptest.Start(t)
	svc := newTestService(t, openTestStore(t, "sqlite"), testConfig(t))
	pass(t, svc, newFakeSource(1, testmail.Message(1, 500, testmail.Options{From: "gone@example.com"})))
	srv.Fail("rcpt", 550, "5.1.1", 1)
	must(t, svc.DrainOutbox(context.Background(), OutboxOptions{NewSender: senderTo(srv)}))
	v, err := svc.ShowTicket(context.Background(), "XY-1001")
	must(t, err)
	var ack *MessageView
	for i := range v.Messages {
		if v.Messages[i].Direction == DirectionOut {
			ack = &v.Messages[i]
		}
	}
	if ack == nil || ack.Delivery == nil || ack.Delivery.Status != OutboxFailed || !strings.Contains(ack.Delivery.Error, "550") {
		t.Fatalf("the acknowledgement's delivery = %+v, want failed with the 550", ack)
	}
}
