package imapsource_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"helpdesk/mailbox/imapsource"
	"helpdesk/mailbox/imaptest"
)

type serverKind struct {
	name  string
	start func(testing.TB) *imaptest.Server
}

func serverKinds() []serverKind {
	return []serverKind{
		{imaptest.KindMemServer, imaptest.StartMemServer},
		{imaptest.KindDovecot, imaptest.Dovecot},
	}
}

// forEachServer runs fn against a fresh memory server and, when configured,
// a fresh Dovecot folder, in parallel subtests.
func forEachServer(t *testing.T, fn func(t *testing.T, srv *imaptest.Server)) {
	t.Helper()
	for _, k := range serverKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			fn(t, k.start(t))
		})
	}
}

// forEachServerSerial is forEachServer without parallelism, for tests that
// measure process-wide allocation.
func forEachServerSerial(t *testing.T, fn func(t *testing.T, srv *imaptest.Server)) {
	t.Helper()
	for _, k := range serverKinds() {
		t.Run(k.name, func(t *testing.T) { fn(t, k.start(t)) })
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func imapsourceDial(b *testing.B, srv *imaptest.Server) (*imapsource.Session, error) {
	return imapsource.Dial(b.Context(), srv.Options())
}

func dial(t *testing.T, opts imapsource.Options) *imapsource.Session {
	t.Helper()
	s, err := imapsource.Dial(testCtx(t), opts)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestDialSecurity(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		for _, sec := range []string{imapsource.SecurityNone, imapsource.SecurityStartTLS, imapsource.SecurityTLS} {
			t.Run(sec, func(t *testing.T) {
				opts, ok := srv.OptionsWith(sec)
				if !ok {
					t.Skipf("%s has no %s port configured", srv.Kind, sec)
				}
				s := dial(t, opts)
				if s.UIDValidity() == 0 {
					t.Error("UIDValidity() = 0 after SELECT")
				}
				if !s.SupportsIdle() {
					t.Error("SupportsIdle() = false; both test servers offer IDLE")
				}
				if err := s.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
				if err := s.Close(); err != nil {
					t.Errorf("second Close: %v", err)
				}
			})
		}
	})
}

func TestDialOAuth(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		for _, mech := range []string{imapsource.AuthXOAuth2, imapsource.AuthOAuthBearer} {
			t.Run(mech, func(t *testing.T) {
				opts := srv.Options()
				opts.Auth, opts.Token, opts.Password = mech, srv.Password, ""
				s := dial(t, opts)
				if _, err := s.NewUIDs(testCtx(t), 0); err != nil {
					t.Errorf("NewUIDs after %s login: %v", mech, err)
				}

				opts.Token = "expired-token"
				_, err := imapsource.Dial(testCtx(t), opts)
				if !errors.Is(err, imapsource.ErrAuth) || imapsource.IsTemporary(err) {
					t.Errorf("Dial with a bad %s token: err = %v, want permanent ErrAuth", mech, err)
				}
			})
		}
	})
}

func TestDialErrors(t *testing.T) {
	mem := imaptest.StartMemServer(t)
	noOAuth := imaptest.StartMemServerWith(t, imaptest.MemOptions{NoOAuth: true})

	// A port nobody listens on: grab one and release it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedPort := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	tests := []struct {
		name      string
		opts      func() imapsource.Options
		wantAuth  bool
		wantTemp  bool
		wantInErr string
	}{
		{"bad password", func() imapsource.Options {
			o := mem.Options()
			o.Password = "wrong"
			return o
		}, true, false, "login"},
		{"unknown user", func() imapsource.Options {
			o := mem.Options()
			o.Username = "nobody"
			return o
		}, true, false, "login"},
		{"mechanism not offered", func() imapsource.Options {
			o := noOAuth.Options()
			o.Auth, o.Token = imapsource.AuthXOAuth2, "tok"
			return o
		}, true, false, "AUTH=XOAUTH2"},
		{"missing folder", func() imapsource.Options {
			o := mem.Options()
			o.Folder = "NoSuchFolder"
			return o
		}, false, false, "NoSuchFolder"},
		{"connection refused", func() imapsource.Options {
			o := mem.Options()
			o.Port = closedPort
			return o
		}, false, true, "dial"},
		{"tls to a plain port", func() imapsource.Options {
			o, _ := mem.OptionsWith(imapsource.SecurityTLS)
			o.Port = mem.Port
			o.DialTimeout = 3 * time.Second
			return o
		}, false, false, "tls"},
		{"untrusted certificate", func() imapsource.Options {
			o, _ := mem.OptionsWith(imapsource.SecurityTLS)
			o.TLSConfig = nil // system roots do not know the test CA
			return o
		}, false, false, "certificate"},
		{"invalid options", func() imapsource.Options {
			o := mem.Options()
			o.AfterImport = "delete"
			return o
		}, false, false, "after_import"},
		{"move into itself", func() imapsource.Options {
			o := mem.Options()
			o.AfterImport = "move:inbox"
			return o
		}, false, false, "ingested folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := imapsource.Dial(testCtx(t), tt.opts())
			if err == nil {
				s.Close()
				t.Fatal("Dial succeeded, want an error")
			}
			var ie *imapsource.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v (%T) is not an *imapsource.Error", err, err)
			}
			if got := errors.Is(err, imapsource.ErrAuth); got != tt.wantAuth {
				t.Errorf("errors.Is(err, ErrAuth) = %v, want %v (err: %v)", got, tt.wantAuth, err)
			}
			if got := imapsource.IsTemporary(err); got != tt.wantTemp {
				t.Errorf("IsTemporary = %v, want %v (err: %v)", got, tt.wantTemp, err)
			}
			if !strings.Contains(err.Error(), tt.wantInErr) {
				t.Errorf("error %q does not mention %q", err, tt.wantInErr)
			}
		})
	}
}

func TestDialCancelled(t *testing.T) {
	// A listener that accepts but never greets: Dial must give up when ctx ends.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = imapsource.Dial(ctx, imapsource.Options{
		Host: "127.0.0.1", Port: port, Security: "none", Username: "u", Password: "p",
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Dial against a silent server: err = %v, want context.DeadlineExceeded", err)
	}
	if imapsource.IsTemporary(err) {
		t.Error("a cancelled Dial must not be marked Temporary")
	}
}
