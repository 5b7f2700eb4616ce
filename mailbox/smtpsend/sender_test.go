package smtpsend_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	gomail "github.com/wneessen/go-mail"

	"helpdesk/mailbox"
	"helpdesk/mailbox/smtpsend"
	"helpdesk/mailbox/smtptest"
)

func testMail(i int) *smtpsend.Mail {
	return &smtpsend.Mail{
		From:       mailbox.Address{Name: "Xiyue Support", Email: "support@xiyue.example"},
		To:         []mailbox.Address{{Name: "Li Lei", Email: "lilei@example.com"}},
		Subject:    fmt.Sprintf("Re: Where is my order? [XY-%d]", 1000+i),
		MessageID:  fmt.Sprintf("t%d.out@xiyue.example", i),
		InReplyTo:  fmt.Sprintf("c%d@mail.example.com", i),
		References: []string{fmt.Sprintf("c%d@mail.example.com", i)},
		Date:       time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		Text:       "Hello,\n\nyour parcel left our warehouse today.\n.\nKind regards\n",
	}
}

func newSender(t testing.TB, o smtpsend.Options) *smtpsend.Sender {
	t.Helper()
	s, err := smtpsend.NewSender(o, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func asSendError(t testing.TB, err error) *smtpsend.SendError {
	t.Helper()
	var se *smtpsend.SendError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SendError", err, err)
	}
	return se
}

func TestSendTranscript(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv.Options())
	m := testMail(1)
	m.Cc = []mailbox.Address{{Email: "boss@example.com"}}
	reply, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(reply, "250 ") || !strings.Contains(reply, "queued") {
		t.Errorf("reply = %q", reply)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	if got.From != "support@xiyue.example" {
		t.Errorf("MAIL FROM %q", got.From)
	}
	if strings.Join(got.To, ",") != "lilei@example.com,boss@example.com" {
		t.Errorf("RCPT TO %q", got.To)
	}
	want, err := smtpsend.Render(m)
	if err != nil {
		t.Fatal(err)
	}
	// A text-only mail renders deterministically, so the wire bytes must be
	// exactly what Render produced (the "." line survives dot-stuffing).
	if !bytes.Equal(got.Data, want) {
		t.Errorf("received bytes differ from Render:\ngot:\n%s\nwant:\n%s", got.Data, want)
	}
	for _, line := range []string{
		"Message-ID: <t1.out@xiyue.example>\r\n",
		"In-Reply-To: <c1@mail.example.com>\r\n",
		"References: <c1@mail.example.com>\r\n",
	} {
		if !bytes.Contains(got.Data, []byte(line)) {
			t.Errorf("missing %q", line)
		}
	}
}

func TestSendRawExactBytes(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv.Options())
	m := testMail(2)
	m.HTML = "<p>Hello</p>"
	m.Attachments = []smtpsend.Attachment{{Filename: "a.txt", ContentType: "text/plain", Content: []byte("x\n.\n")}}
	raw, err := smtpsend.Render(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendRaw(context.Background(), m.Envelope(), raw); err != nil {
		t.Fatal(err)
	}
	if got := srv.WaitFor(t, 1, 5*time.Second)[0]; !bytes.Equal(got.Data, raw) {
		t.Errorf("stored copy and wire bytes differ")
	}
	_, err = s.SendRaw(context.Background(), smtpsend.Envelope{From: "a@b", To: []string{"x@y>\r\nDATA"}}, raw)
	if se := asSendError(t, err); se.Stage != smtpsend.StageMessage || se.Temporary {
		t.Errorf("bad envelope: %+v", se)
	}
}

func TestConnectionReuse(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv.Options())
	for i := range 50 {
		if _, err := s.Send(context.Background(), testMail(i)); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	srv.WaitFor(t, 50, 5*time.Second)
	if n := srv.Connections(); n != 1 {
		t.Errorf("50 sends used %d connections, want 1", n)
	}
}

func TestInjectedReplies(t *testing.T) {
	tests := []struct {
		stage     string
		code      int
		enhanced  string
		temporary bool
	}{
		{smtptest.StageMail, 451, "4.3.0", true},
		{smtptest.StageMail, 553, "5.7.1", false},
		{smtptest.StageRcpt, 450, "4.2.1", true},
		{smtptest.StageRcpt, 550, "5.1.1", false},
		{smtptest.StageData, 452, "4.3.1", true},
		{smtptest.StageData, 554, "5.7.1", false},
		{smtptest.StageData, 552, "", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s_%d", tt.stage, tt.code), func(t *testing.T) {
			srv := smtptest.Start(t)
			s := newSender(t, srv.Options())
			srv.Fail(tt.stage, tt.code, tt.enhanced, 1)
			_, err := s.Send(context.Background(), testMail(1))
			se := asSendError(t, err)
			if se.Stage != tt.stage || se.Code != tt.code || se.EnhancedCode != tt.enhanced || se.Temporary != tt.temporary {
				t.Errorf("got %+v", se)
			}
			if smtpsend.IsPermanent(err) == tt.temporary {
				t.Errorf("IsPermanent = %v", smtpsend.IsPermanent(err))
			}
			if tt.stage == smtptest.StageRcpt && se.Rcpt != "lilei@example.com" {
				t.Errorf("Rcpt = %q", se.Rcpt)
			}
			if srv.Count() != 0 {
				t.Errorf("a refused message was delivered")
			}
			// A refusal leaves the session usable: the next send goes out on
			// the same connection.
			if _, err := s.Send(context.Background(), testMail(2)); err != nil {
				t.Fatalf("send after refusal: %v", err)
			}
			srv.WaitFor(t, 1, 5*time.Second)
			if n := srv.Connections(); n != 1 {
				t.Errorf("connections = %d, want 1", n)
			}
		})
	}
}

func TestRecipientRefusalAbortsTransaction(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv.Options())
	m := testMail(1)
	m.Cc = []mailbox.Address{{Email: "boss@example.com"}}
	srv.Fail(smtptest.StageRcpt, 550, "5.1.1", 1) // refuses the first recipient only
	_, err := s.Send(context.Background(), m)
	se := asSendError(t, err)
	if se.Rcpt != "lilei@example.com" || se.Temporary {
		t.Errorf("got %+v", se)
	}
	if srv.Count() != 0 {
		t.Errorf("the accepted recipient got the message; want the transaction abandoned")
	}
}

func TestDroppedConnection(t *testing.T) {
	for _, stage := range []string{smtptest.StageMail, smtptest.StageRcpt, smtptest.StageData} {
		t.Run(stage, func(t *testing.T) {
			srv := smtptest.Start(t)
			s := newSender(t, srv.Options())
			srv.DropNext(stage)
			_, err := s.Send(context.Background(), testMail(1))
			se := asSendError(t, err)
			if !se.Temporary || se.Code != 0 || se.Stage != stage {
				t.Errorf("got %+v", se)
			}
			if _, err := s.Send(context.Background(), testMail(2)); err != nil {
				t.Fatalf("send after drop: %v", err)
			}
			srv.WaitFor(t, 1, 5*time.Second)
			if n := srv.Connections(); n != 2 {
				t.Errorf("connections = %d, want 2 (one redial)", n)
			}
		})
	}
}

// A connection that died while idle is noticed at MAIL FROM, before
// anything was sent, so Send redials and succeeds without an error.
func TestStaleConnectionRetriedTransparently(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv.Options())
	if _, err := s.Send(context.Background(), testMail(1)); err != nil {
		t.Fatal(err)
	}
	srv.DropNext(smtptest.StageMail)
	if _, err := s.Send(context.Background(), testMail(2)); err != nil {
		t.Fatalf("send on stale connection: %v", err)
	}
	msgs := srv.WaitFor(t, 2, 5*time.Second)
	if !bytes.Contains(msgs[1].Data, []byte("t2.out@xiyue.example")) {
		t.Errorf("second message not delivered")
	}
	if n := srv.Connections(); n != 2 {
		t.Errorf("connections = %d, want 2", n)
	}
	// A 421 on a reused connection is retried the same way.
	srv.Fail(smtptest.StageMail, 421, "4.4.2", 1)
	if _, err := s.Send(context.Background(), testMail(3)); err != nil {
		t.Fatalf("send after 421: %v", err)
	}
	srv.WaitFor(t, 3, 5*time.Second)
}

func TestIdleConnectionRedialed(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv.Options())
	smtpsend.SetMaxIdle(s, 20*time.Millisecond)
	for i := range 2 {
		if _, err := s.Send(context.Background(), testMail(i)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(40 * time.Millisecond)
	}
	if n := srv.Connections(); n != 2 {
		t.Errorf("connections = %d, want 2", n)
	}
}

func TestContextCancelStopsSend(t *testing.T) {
	srv := smtptest.Start(t)
	s := newSender(t, srv.Options())
	if _, err := s.Send(context.Background(), testMail(1)); err != nil {
		t.Fatal(err)
	}
	srv.SetDelay(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := s.Send(ctx, testMail(2))
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("Send returned after %v; the context ended after 100ms", elapsed)
	}
	se := asSendError(t, err)
	if !se.Temporary || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %+v", se)
	}
	srv.SetDelay(0)
	if _, err := s.Send(context.Background(), testMail(3)); err != nil {
		t.Fatalf("send after cancel: %v", err)
	}
	// A context that is already over fails fast and keeps the connection.
	_, err = s.Send(ctx, testMail(4))
	if !errors.Is(err, context.DeadlineExceeded) || !asSendError(t, err).Temporary {
		t.Errorf("send with expired context: %v", err)
	}
	if _, err := s.Send(context.Background(), testMail(5)); err != nil {
		t.Fatal(err)
	}
	if n := srv.Connections(); n != 2 {
		t.Errorf("connections = %d, want 2 (one redial after the cancel)", n)
	}
}

func TestTimeout(t *testing.T) {
	srv := smtptest.Start(t)
	o := srv.Options()
	o.Timeout = 200 * time.Millisecond
	s := newSender(t, o)
	srv.SetDelay(2 * time.Second)
	_, err := s.Send(context.Background(), testMail(1))
	se := asSendError(t, err)
	if !se.Temporary || se.Stage != smtpsend.StageMail || !strings.Contains(se.Msg, "timeout") {
		t.Errorf("got %+v", se)
	}
}

func TestConnectFailures(t *testing.T) {
	srv := smtptest.Start(t)
	o := srv.Options()
	o.Port = 1 // nothing listens there
	s := newSender(t, o)
	_, err := s.Send(context.Background(), testMail(1))
	if se := asSendError(t, err); se.Stage != smtpsend.StageConnect || !se.Temporary {
		t.Errorf("refused: %+v", se)
	}

	o = srv.Options()
	o.Security = smtpsend.SecurityStartTLS // the server offers no STARTTLS
	s = newSender(t, o)
	_, err = s.Send(context.Background(), testMail(1))
	if se := asSendError(t, err); se.Stage != smtpsend.StageConnect || !se.Temporary {
		t.Errorf("no starttls: %+v", se)
	}
}

func TestAuth(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(o *smtpsend.Options)
		wantStage string // "" means success
		wantCode  int
	}{
		{"password", func(o *smtpsend.Options) {}, "", 0},
		{"xoauth2", func(o *smtpsend.Options) { o.Auth, o.Token = smtpsend.AuthXOAuth2, "s3cret" }, "", 0},
		{"oauthbearer", func(o *smtpsend.Options) { o.Auth, o.Token = smtpsend.AuthOAuthBearer, "s3cret" }, "", 0},
		{"wrong password", func(o *smtpsend.Options) { o.Password = "nope" }, smtpsend.StageAuth, 535},
		{"wrong xoauth2 token", func(o *smtpsend.Options) { o.Auth, o.Token = smtpsend.AuthXOAuth2, "nope" }, smtpsend.StageAuth, 535},
		{"wrong oauthbearer token", func(o *smtpsend.Options) { o.Auth, o.Token = smtpsend.AuthOAuthBearer, "nope" }, smtpsend.StageAuth, 454},
		{"no auth", func(o *smtpsend.Options) { o.Auth = smtpsend.AuthNone }, smtpsend.StageMail, 502},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := smtptest.Start(t, smtptest.WithAuth("agent@xiyue.example", "s3cret"))
			o := srv.Options()
			tt.edit(&o)
			s := newSender(t, o)
			_, err := s.Send(context.Background(), testMail(1))
			if tt.wantStage == "" {
				if err != nil {
					t.Fatal(err)
				}
				srv.WaitFor(t, 1, 5*time.Second)
				return
			}
			se := asSendError(t, err)
			if se.Stage != tt.wantStage || se.Code != tt.wantCode {
				t.Errorf("got %+v", se)
			}
			if tt.wantStage == smtpsend.StageAuth && !se.Temporary {
				t.Errorf("auth failure marked permanent: %+v", se)
			}
			if strings.Contains(se.Error(), "s3cret") || strings.Contains(se.Error(), "nope") {
				t.Errorf("error leaks a secret: %v", se)
			}
		})
	}
}

func TestTLS(t *testing.T) {
	for name, opt := range map[string]smtptest.Option{
		"starttls": smtptest.WithStartTLS(),
		"implicit": smtptest.WithImplicitTLS(),
	} {
		t.Run(name, func(t *testing.T) {
			srv := smtptest.Start(t, opt, smtptest.WithAuth("u", "p"))
			s := newSender(t, srv.Options())
			for i := range 3 {
				if _, err := s.Send(context.Background(), testMail(i)); err != nil {
					t.Fatal(err)
				}
			}
			srv.WaitFor(t, 3, 5*time.Second)
			if n := srv.Connections(); n != 1 {
				t.Errorf("connections = %d", n)
			}
			// Without the test CA the certificate must be refused.
			o := srv.Options()
			o.TLSConfig = nil
			_, err := newSender(t, o).Send(context.Background(), testMail(9))
			if se := asSendError(t, err); se.Stage != smtpsend.StageConnect {
				t.Errorf("untrusted certificate: %+v", se)
			}
		})
	}
}

func TestDKIMOnTheWire(t *testing.T) {
	srv := smtptest.Start(t)
	o := srv.Options()
	pemBytes := mustRead(t, "testdata/dkim_ed25519.pem")
	o.DKIM = &smtpsend.DKIMOptions{Domain: "xiyue.example", Selector: "s2026", PrivateKeyPEM: pemBytes}
	s := newSender(t, o)
	if _, err := s.Send(context.Background(), testMail(1)); err != nil {
		t.Fatal(err)
	}
	got := srv.WaitFor(t, 1, 5*time.Second)[0]
	key, err := gomail.PrivKeyFromPEM(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	txt := "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(got.Data), &dkim.VerifyOptions{
		LookupTXT: func(string) ([]string, error) { return []string{txt}, nil },
	})
	if err != nil || len(vs) != 1 || vs[0].Err != nil {
		t.Fatalf("wire copy does not verify: %v %+v\n%s", err, vs, got.Data)
	}
}

func TestNewSenderValidates(t *testing.T) {
	tests := []struct {
		name string
		o    smtpsend.Options
	}{
		{"no host", smtpsend.Options{}},
		{"bad security", smtpsend.Options{Host: "h", Security: "ssl"}},
		{"bad auth", smtpsend.Options{Host: "h", Auth: "kerberos"}},
		{"password without user", smtpsend.Options{Host: "h", Auth: smtpsend.AuthPassword}},
		{"oauth without token", smtpsend.Options{Host: "h", Auth: smtpsend.AuthXOAuth2, Username: "u"}},
		{"bad port", smtpsend.Options{Host: "h", Port: 70000}},
	}
	for _, tt := range tests {
		if _, err := smtpsend.NewSender(tt.o, nil); err == nil {
			t.Errorf("%s: NewSender accepted %+v", tt.name, tt.o)
		}
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
