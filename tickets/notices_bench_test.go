package tickets

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"helpdesk/mailbox/smtptest"
)

// BenchmarkNoticeSend sends one notice to N recipients (default 10,000;
// HELPDESK_BENCH_RECIPIENTS=100000 for the documented figure) through a
// local discarding SMTP server with W workers (HELPDESK_BENCH_WORKERS,
// default 4): schedule (one INSERT ... SELECT), claim, per-recipient
// render, send, mark. Beside it, in the same run, a bare go-mail loop
// sends N prebuilt messages over W connections (Client.DialWithContext +
// Client.Send): bare-go-mail a three-line mail, bare-go-mail-same-mail
// the notice's own subject, text and HTML. peak-heap-MB is the largest
// Go heap seen during the send.
//
//	eval "$(scripts/services.sh env)"
//	HELPDESK_BENCH_RECIPIENTS=100000 go test -run '^$' -bench NoticeSend -benchtime 1x -timeout 30m ./tickets/
func BenchmarkNoticeSend(b *testing.B) {
	n := envInt("HELPDESK_BENCH_RECIPIENTS", 10000)
	workers := envInt("HELPDESK_BENCH_WORKERS", 4)
	srv := smtptest.Start(b, smtptest.DiscardBodies())
	small := bareMsgs(b, "Xiyue Technology: Privacy policy update",
		"Dear customer,\n\nWe would like to inform you of an upcoming change.\n", "")
	b.Run("bare-go-mail", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bareGoMail(b, srv, small, n, workers)
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	// The same loop sending the notice's own subject, text and HTML, so
	// both sides move the same bytes: the ratio between this and
	// notice-sqlite is the cost of the notice machinery (claim, consent
	// and erasure checks, per-recipient render, Message-ID, one UPDATE
	// per mail).
	same := noticeSizedMsgs(b)
	b.Run("bare-go-mail-same-mail", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			bareGoMail(b, srv, same, n, workers)
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("notice-sqlite", func(b *testing.B) { benchNotice(b, srv, "sqlite", n, workers) })
	if os.Getenv("HELPDESK_TEST_POSTGRES") != "" {
		b.Run("notice-postgres", func(b *testing.B) { benchNotice(b, srv, "postgres", n, workers) })
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func benchNotice(b *testing.B, srv *smtptest.Server, driver string, n, workers int) {
	var peak uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		svc := newTestService(b, openTestStore(b, driver), testConfig(b))
		addCustomers(b, svc, "xiyue", n, "en")
		nt := createNotice(b, svc, false)
		runtime.GC()
		stopSampling := sampleHeap(50 * time.Millisecond)
		before := srv.Count()
		b.StartTimer()
		if _, err := svc.ScheduleNotice(context.Background(), nt.ID); err != nil {
			b.Fatal(err)
		}
		if err := svc.DrainNotices(context.Background(), OutboxOptions{Workers: workers, ClaimBatch: 50,
			NewSender: senderTo(srv)}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if p := stopSampling(); p > peak {
			peak = p
		}
		if got := srv.Count() - before; got != n {
			b.Fatalf("server received %d of %d", got, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// noticeSizedMsgs renders the benchmark's notice for one customer and
// returns go-mail messages with its subject and parts.
func noticeSizedMsgs(b *testing.B) []*gomail.Msg {
	svc := newTestService(b, openTestStore(b, "sqlite"), testConfig(b))
	addCustomers(b, svc, "xiyue", 1, "en")
	nt := createNotice(b, svc, false)
	p, err := svc.PreviewNotice(context.Background(), nt.ID, "c000000@example0.com")
	if err != nil {
		b.Fatal(err)
	}
	return bareMsgs(b, p.Subject, p.Text, p.HTML)
}

// bareMsgs builds 64 go-mail messages to different addresses.
func bareMsgs(b *testing.B, subject, text, html string) []*gomail.Msg {
	msgs := make([]*gomail.Msg, 64)
	for i := range msgs {
		m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
		if err := m.From("support@xiyue.example"); err != nil {
			b.Fatal(err)
		}
		if err := m.To("c" + strconv.Itoa(i) + "@example.com"); err != nil {
			b.Fatal(err)
		}
		m.Subject(subject)
		m.SetBodyString(gomail.TypeTextPlain, text)
		if html != "" {
			m.AddAlternativeString(gomail.TypeTextHTML, html)
		}
		msgs[i] = m
	}
	return msgs
}

// bareGoMail sends n of msgs (round robin) over `workers` go-mail clients.
func bareGoMail(b *testing.B, srv *smtptest.Server, msgs []*gomail.Msg, n, workers int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := gomail.NewClient(srv.Host, gomail.WithPort(srv.Port), gomail.WithTLSPolicy(gomail.NoTLS),
				gomail.WithSMTPAuth(gomail.SMTPAuthNoAuth), gomail.WithHELO("client.localhost"), gomail.WithTimeout(10*time.Second))
			if err != nil {
				b.Error(err)
				return
			}
			if err := c.DialWithContext(context.Background()); err != nil {
				b.Error(err)
				return
			}
			defer c.Close()
			for i := next.Add(1); i <= int64(n); i = next.Add(1) {
				if err := c.Send(msgs[i%int64(len(msgs))]); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
