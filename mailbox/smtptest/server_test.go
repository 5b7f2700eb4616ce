package smtptest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const body = "Subject: hi\r\n\r\nhello\r\n"

// dial opens a go-smtp client, independent of the sender under test.
func dial(t *testing.T, s *Server) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	// One round trip, so that the server has accepted the connection.
	if err := c.Noop(); err != nil {
		t.Fatal(err)
	}
	return c
}

func send(c *smtp.Client, to ...string) error {
	return c.SendMail("from@example.com", to, strings.NewReader(body))
}

func smtpCode(err error) (int, smtp.EnhancedCode) {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code, se.EnhancedCode
	}
	return 0, smtp.EnhancedCode{}
}

func TestRecordsMessages(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	if err := send(c, "a@example.com", "b@example.com"); err != nil {
		t.Fatal(err)
	}
	if err := send(c, "c@example.com"); err != nil {
		t.Fatal(err)
	}
	got := s.WaitFor(t, 2, time.Second)
	if len(got) != 2 || s.Count() != 2 {
		t.Fatalf("got %d messages, Count %d", len(got), s.Count())
	}
	if got[0].From != "from@example.com" || strings.Join(got[0].To, ",") != "a@example.com,b@example.com" {
		t.Errorf("envelope %q -> %q", got[0].From, got[0].To)
	}
	if string(got[0].Data) != body {
		t.Errorf("data %q", got[0].Data)
	}
	if got[0].At.IsZero() || got[1].At.Before(got[0].At) {
		t.Errorf("timestamps %v %v", got[0].At, got[1].At)
	}
	if n := s.Connections(); n != 1 {
		t.Errorf("Connections = %d, want 1", n)
	}
	dial(t, s)
	if n := s.Connections(); n != 2 {
		t.Errorf("Connections = %d, want 2", n)
	}
}

func TestFailTimes(t *testing.T) {
	tests := []struct {
		name  string
		times int
		sends int
		fails int // how many of the sends fail
	}{
		{"once", 1, 3, 1},
		{"twice", 2, 3, 2},
		{"always", -1, 4, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Start(t)
			c := dial(t, s)
			s.Fail(StageRcpt, 550, "5.1.1", tt.times)
			failed := 0
			for range tt.sends {
				err := send(c, "x@example.com")
				if err == nil {
					continue
				}
				failed++
				code, ec := smtpCode(err)
				if code != 550 || ec != (smtp.EnhancedCode{5, 1, 1}) {
					t.Errorf("got %d %v (%v)", code, ec, err)
				}
				if err := c.Reset(); err != nil {
					t.Fatal(err)
				}
			}
			if failed != tt.fails || s.Count() != tt.sends-tt.fails {
				t.Errorf("failed %d, delivered %d; want %d failures", failed, s.Count(), tt.fails)
			}
		})
	}
}

func TestFailStages(t *testing.T) {
	for _, stage := range []string{StageMail, StageRcpt, StageData} {
		t.Run(stage, func(t *testing.T) {
			s := Start(t)
			c := dial(t, s)
			s.Fail(stage, 451, "4.3.0", 1)
			code, ec := smtpCode(send(c, "x@example.com"))
			if code != 451 || ec != (smtp.EnhancedCode{4, 3, 0}) {
				t.Errorf("got %d %v", code, ec)
			}
			_ = c.Reset()
			if err := send(c, "x@example.com"); err != nil {
				t.Errorf("second send: %v", err)
			}
		})
	}
}

func TestFailClearAndNoEnhanced(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	s.Fail(StageMail, 421, "", -1)
	s.Fail(StageMail, 421, "", 0)
	if err := send(c, "x@example.com"); err != nil {
		t.Errorf("cleared fault still applies: %v", err)
	}
	s.Fail(StageData, 554, "", 1)
	err := send(c, "x@example.com")
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 554 || strings.HasPrefix(se.Message, "5.") {
		t.Errorf("got %#v", err)
	}
}

func TestDropNext(t *testing.T) {
	for _, stage := range []string{StageMail, StageRcpt, StageData} {
		t.Run(stage, func(t *testing.T) {
			s := Start(t)
			s.DropNext(stage)
			if err := send(dial(t, s), "x@example.com"); err == nil {
				t.Fatal("send succeeded on a dropped connection")
			} else if code, _ := smtpCode(err); code != 0 {
				t.Errorf("got an SMTP reply %d; want the connection closed", code)
			}
			if err := send(dial(t, s), "x@example.com"); err != nil {
				t.Errorf("drop applied twice: %v", err)
			}
			if s.Count() != 1 {
				t.Errorf("Count = %d", s.Count())
			}
		})
	}
}

func TestDiscardBodies(t *testing.T) {
	s := Start(t, DiscardBodies())
	c := dial(t, s)
	for range 3 {
		if err := send(c, "x@example.com"); err != nil {
			t.Fatal(err)
		}
	}
	s.WaitFor(t, 3, time.Second)
	if s.Count() != 3 || len(s.Messages()) != 0 {
		t.Errorf("Count %d, kept %d", s.Count(), len(s.Messages()))
	}
}

func TestSetDelay(t *testing.T) {
	s := Start(t)
	c := dial(t, s)
	s.SetDelay(50 * time.Millisecond)
	start := time.Now()
	if err := send(c, "x@example.com"); err != nil {
		t.Fatal(err)
	}
	// MAIL, RCPT and DATA are each delayed.
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond {
		t.Errorf("send took %v, want at least 150ms", elapsed)
	}
}

func TestAuthRequired(t *testing.T) {
	s := Start(t, WithAuth("u", "p"))
	c := dial(t, s)
	if code, _ := smtpCode(send(c, "x@example.com")); code != 502 {
		t.Errorf("unauthenticated MAIL got %d, want 502", code)
	}
	_ = c.Reset()
	if err := c.Auth(sasl.NewPlainClient("", "u", "bad")); err == nil {
		t.Error("wrong password accepted")
	}
	if err := c.Auth(sasl.NewPlainClient("", "u", "p")); err != nil {
		t.Fatal(err)
	}
	if err := send(c, "x@example.com"); err != nil {
		t.Error(err)
	}
	o := s.Options()
	if o.Username != "u" || o.Password != "p" || o.Auth != "password" || o.Port != s.Port {
		t.Errorf("Options = %+v", o)
	}
}

func TestBadArgumentsPanic(t *testing.T) {
	s := Start(t)
	for name, f := range map[string]func(){
		"stage":    func() { s.Fail("helo", 550, "", 1) },
		"code":     func() { s.Fail(StageMail, 250, "", 1) },
		"enhanced": func() { s.Fail(StageMail, 550, "5.x", 1) },
		"drop":     func() { s.DropNext("quit") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}
