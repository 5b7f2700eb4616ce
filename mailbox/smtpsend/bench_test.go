package smtpsend_test

import (
	"context"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"helpdesk/mailbox/smtpsend"
	"helpdesk/mailbox/smtptest"
)

// Both benchmarks send the same message to the same discarding server over
// one reused connection, building the message inside the loop, so their
// msgs/s compare our Sender with go-mail used directly.

func BenchmarkSenderSend(b *testing.B) {
	srv := smtptest.Start(b, smtptest.DiscardBodies())
	s := newSender(b, srv.Options())
	ctx := context.Background()
	b.ReportAllocs()
	n := 0
	for ; b.Loop(); n++ {
		if _, err := s.Send(ctx, testMail(n)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
	if srv.Connections() != 1 {
		b.Errorf("used %d connections", srv.Connections())
	}
}

func BenchmarkBareGoMail(b *testing.B) {
	srv := smtptest.Start(b, smtptest.DiscardBodies())
	c, err := gomail.NewClient(srv.Host, gomail.WithPort(srv.Port), gomail.WithTLSPolicy(gomail.NoTLS),
		gomail.WithSMTPAuth(gomail.SMTPAuthNoAuth), gomail.WithHELO("client.localhost"), gomail.WithTimeout(10*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	if err := c.DialWithContext(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close() })
	b.ReportAllocs()
	n := 0
	for ; b.Loop(); n++ {
		m := testMail(n)
		msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
		if err := msg.FromFormat(m.From.Name, m.From.Email); err != nil {
			b.Fatal(err)
		}
		if err := msg.AddToFormat(m.To[0].Name, m.To[0].Email); err != nil {
			b.Fatal(err)
		}
		msg.Subject(m.Subject)
		msg.SetMessageIDWithValue(m.MessageID)
		msg.SetGenHeader(gomail.HeaderInReplyTo, "<"+m.InReplyTo+">")
		msg.SetGenHeader(gomail.HeaderReferences, "<"+m.References[0]+">")
		msg.SetDateWithValue(m.Date)
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		if err := c.Send(msg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
	if srv.Connections() != 1 {
		b.Errorf("used %d connections", srv.Connections())
	}
}

func BenchmarkRender(b *testing.B) {
	m := testMail(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := smtpsend.Render(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderChinese renders an acknowledgement-sized Chinese mail with
// an HTML alternative, the mail whose transfer encoding matters most.
func BenchmarkRenderChinese(b *testing.B) {
	m := testMail(1)
	para := "您好，我们已经收到您的来信，客服会在一个工作日内回复。您的工单号是 XY-1042，回复本邮件即可补充信息。"
	m.Text = strings.Repeat(para+"\n\n", 6)
	m.HTML = "<html><body>" + strings.Repeat("<p>"+para+"</p>", 6) + "</body></html>"
	b.ReportAllocs()
	var size int
	for b.Loop() {
		raw, err := smtpsend.Render(m)
		if err != nil {
			b.Fatal(err)
		}
		size = len(raw)
	}
	b.ReportMetric(float64(size), "raw-bytes")
}
