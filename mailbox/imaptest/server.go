package imaptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"helpdesk/mailbox/imapsource"
)

// Server kinds.
const (
	KindMemServer = "memserver"
	KindDovecot   = "dovecot"
)

// Environment variables read by Dovecot; scripts/services.sh env prints them.
const (
	EnvDovecot     = "HELPDESK_TEST_DOVECOT"
	EnvDovecotTLS  = "HELPDESK_TEST_DOVECOT_TLS"
	EnvDovecotCert = "HELPDESK_TEST_DOVECOT_CERT"
	EnvDovecotUser = "HELPDESK_TEST_DOVECOT_USER"
	EnvDovecotPass = "HELPDESK_TEST_DOVECOT_PASS"
)

// Server describes a test IMAP server and the folder a test should use.
type Server struct {
	Kind     string // KindMemServer or KindDovecot
	Host     string
	Port     int // plain and STARTTLS
	TLSPort  int // implicit TLS; 0 when not available
	Username string
	Password string // also accepted as the OAuth2 token on both kinds
	Folder   string // the folder this test owns (INBOX on the memory server)

	// RootCAs trusts the server's self-signed certificate; nil when unknown
	// (then TLS options skip verification).
	RootCAs *x509.CertPool
}

// Dovecot returns the Dovecot server from the environment with a fresh,
// empty folder for this test, deleted when the test ends. It skips the test
// when HELPDESK_TEST_DOVECOT is not set.
func Dovecot(t testing.TB) *Server {
	t.Helper()
	addr := os.Getenv(EnvDovecot)
	if addr == "" {
		t.Skipf("%s not set: run scripts/services.sh start && eval \"$(scripts/services.sh env)\" to test against Dovecot", EnvDovecot)
	}
	host, port, err := splitHostPort(addr)
	if err != nil {
		t.Fatalf("imaptest: %s=%q: %v", EnvDovecot, addr, err)
	}
	s := &Server{
		Kind:     KindDovecot,
		Host:     host,
		Port:     port,
		Username: envOr(EnvDovecotUser, "helpdesk1"),
		Password: envOr(EnvDovecotPass, "helpdesk-test"),
		Folder:   uniqueFolder(t.Name()),
	}
	if tlsAddr := os.Getenv(EnvDovecotTLS); tlsAddr != "" {
		if _, p, err := splitHostPort(tlsAddr); err == nil {
			s.TLSPort = p
		}
	}
	if certFile := os.Getenv(EnvDovecotCert); certFile != "" {
		pem, err := os.ReadFile(certFile)
		if err != nil {
			t.Fatalf("imaptest: %s: %v", EnvDovecotCert, err)
		}
		s.RootCAs = x509.NewCertPool()
		if !s.RootCAs.AppendCertsFromPEM(pem) {
			t.Fatalf("imaptest: %s: no certificate in %s", EnvDovecotCert, certFile)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = s.withClient(ctx, func(c *imapclient.Client) error {
		return c.Create(s.Folder, nil).Wait()
	})
	if err != nil {
		t.Fatalf("imaptest: creating folder %q on Dovecot %s: %v", s.Folder, addr, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.deleteFolderTree(ctx, s.Folder); err != nil {
			t.Logf("imaptest: cleaning up folder %q: %v", s.Folder, err)
		}
	})
	return s
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, fmt.Errorf("port %q: %w", p, err)
	}
	return host, port, nil
}

// uniqueFolder derives a folder name from the test name plus randomness;
// letters and digits only, because Dovecot's hierarchy separator and
// Maildir++ treat '/' and '.' specially.
func uniqueFolder(testName string) string {
	var b strings.Builder
	b.WriteString("hd")
	for _, r := range testName {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
		if b.Len() >= 32 {
			break
		}
	}
	var rnd [4]byte
	rand.Read(rnd[:])
	b.WriteString("-" + hex.EncodeToString(rnd[:]))
	return b.String()
}

// Options returns options to Dial this server without encryption, for the
// test's folder, with password login.
func (s *Server) Options() imapsource.Options {
	return imapsource.Options{
		Host:     s.Host,
		Port:     s.Port,
		Security: imapsource.SecurityNone,
		Username: s.Username,
		Password: s.Password,
		Auth:     imapsource.AuthPassword,
		Folder:   s.Folder,
	}
}

// OptionsWith returns Options using the given security (none, starttls, tls)
// with a TLS configuration that trusts the server's certificate. It reports
// false when the server cannot do that (no implicit-TLS port known).
func (s *Server) OptionsWith(security string) (imapsource.Options, bool) {
	o := s.Options()
	o.Security = security
	switch security {
	case imapsource.SecurityNone:
		return o, true
	case imapsource.SecurityTLS:
		if s.TLSPort == 0 {
			return o, false
		}
		o.Port = s.TLSPort
	}
	o.TLSConfig = s.tlsConfig()
	return o, true
}

func (s *Server) tlsConfig() *tls.Config {
	if s.RootCAs == nil {
		return &tls.Config{InsecureSkipVerify: true}
	}
	return &tls.Config{RootCAs: s.RootCAs, ServerName: s.Host}
}

// dial logs in over plain TCP; helpers only, never the code under test.
func (s *Server) dial(ctx context.Context) (*imapclient.Client, error) {
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(s.Host, strconv.Itoa(s.Port)))
	if err != nil {
		return nil, err
	}
	c := imapclient.New(conn, nil)
	if err := c.Login(s.Username, s.Password).Wait(); err != nil {
		c.Close()
		return nil, fmt.Errorf("login: %w", err)
	}
	return c, nil
}

func (s *Server) withClient(ctx context.Context, fn func(c *imapclient.Client) error) error {
	c, err := s.dial(ctx)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	defer c.Close()
	if err := fn(c); err != nil {
		return err
	}
	return c.Logout().Wait()
}

func (s *Server) folderOr(folder string) string {
	if folder == "" {
		return s.Folder
	}
	return folder
}

// AppendMessages APPENDs raw messages to folder ("" = s.Folder) in order,
// over one connection, pipelined (all commands are sent before the answers
// are awaited: seeding thousands of messages is round-trip bound
// otherwise). It is safe to call from any goroutine.
func (s *Server) AppendMessages(ctx context.Context, folder string, raws ...[]byte) error {
	folder = s.folderOr(folder)
	return s.withClient(ctx, func(c *imapclient.Client) error {
		cmds := make([]*imapclient.AppendCommand, 0, len(raws))
		var errs []error
		for i, raw := range raws {
			cmd := c.Append(folder, int64(len(raw)), nil)
			cmds = append(cmds, cmd)
			if _, err := cmd.Write(raw); err != nil {
				errs = append(errs, fmt.Errorf("appending message %d: %w", i, err))
			}
			if err := cmd.Close(); err != nil {
				errs = append(errs, fmt.Errorf("appending message %d: %w", i, err))
			}
			if len(errs) > 0 {
				break
			}
		}
		for i, cmd := range cmds {
			if _, err := cmd.Wait(); err != nil {
				errs = append(errs, fmt.Errorf("appending message %d: %w", i, err))
			}
		}
		return errors.Join(errs...)
	})
}

// Append is AppendMessages failing the test on error. Call it from the test
// goroutine; use AppendMessages elsewhere.
func (s *Server) Append(ctx context.Context, t testing.TB, folder string, raws ...[]byte) {
	t.Helper()
	if err := s.AppendMessages(ctx, folder, raws...); err != nil {
		t.Fatalf("imaptest: append to %q: %v", s.folderOr(folder), err)
	}
}

// CreateFolder creates folder; it is not an error when it exists.
func (s *Server) CreateFolder(ctx context.Context, t testing.TB, folder string) {
	t.Helper()
	err := s.withClient(ctx, func(c *imapclient.Client) error {
		err := c.Create(folder, nil).Wait()
		var imapErr *imap.Error
		if errors.As(err, &imapErr) && imapErr.Code == imap.ResponseCodeAlreadyExists {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatalf("imaptest: create %q: %v", folder, err)
	}
}

// RecreateFolder deletes folder ("" = s.Folder) with its messages and
// creates it again, which gives it a new UIDVALIDITY. It fails the test if
// the UIDVALIDITY did not change. It returns the new UIDVALIDITY.
func (s *Server) RecreateFolder(ctx context.Context, t testing.TB, folder string) uint32 {
	t.Helper()
	folder = s.folderOr(folder)
	var before, after uint32
	err := s.withClient(ctx, func(c *imapclient.Client) error {
		st, err := c.Status(folder, &imap.StatusOptions{UIDValidity: true}).Wait()
		if err != nil {
			return fmt.Errorf("status: %w", err)
		}
		before = st.UIDValidity
		if err := c.Delete(folder).Wait(); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		if err := c.Create(folder, nil).Wait(); err != nil {
			return fmt.Errorf("create: %w", err)
		}
		st, err = c.Status(folder, &imap.StatusOptions{UIDValidity: true}).Wait()
		if err != nil {
			return fmt.Errorf("status: %w", err)
		}
		after = st.UIDValidity
		return nil
	})
	if err != nil {
		t.Fatalf("imaptest: recreate %q: %v", folder, err)
	}
	if before == after {
		t.Fatalf("imaptest: recreate %q kept UIDVALIDITY %d", folder, after)
	}
	return after
}

// Count returns the number of messages in folder ("" = s.Folder) and how
// many of them lack \Seen.
func (s *Server) Count(ctx context.Context, t testing.TB, folder string) (total, unseen int) {
	t.Helper()
	folder = s.folderOr(folder)
	err := s.withClient(ctx, func(c *imapclient.Client) error {
		st, err := c.Status(folder, &imap.StatusOptions{NumMessages: true, NumUnseen: true}).Wait()
		if err != nil {
			return err
		}
		total, unseen = int(*st.NumMessages), int(*st.NumUnseen)
		return nil
	})
	if err != nil {
		t.Fatalf("imaptest: status %q: %v", folder, err)
	}
	return total, unseen
}

// Expunge permanently removes the messages with the given UIDs from folder
// ("" = s.Folder), as another mail client would.
func (s *Server) Expunge(ctx context.Context, t testing.TB, folder string, uids ...uint32) {
	t.Helper()
	folder = s.folderOr(folder)
	err := s.withClient(ctx, func(c *imapclient.Client) error {
		if _, err := c.Select(folder, nil).Wait(); err != nil {
			return err
		}
		var set imap.UIDSet
		for _, u := range uids {
			set.AddNum(imap.UID(u))
		}
		store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}
		if err := c.Store(set, store, nil).Close(); err != nil {
			return err
		}
		return c.UIDExpunge(set).Close()
	})
	if err != nil {
		t.Fatalf("imaptest: expunge in %q: %v", folder, err)
	}
}

// deleteFolderTree deletes folder and every folder whose name starts with
// it, deepest first.
func (s *Server) deleteFolderTree(ctx context.Context, folder string) error {
	return s.withClient(ctx, func(c *imapclient.Client) error {
		list, err := c.List("", folder+"*", nil).Collect()
		if err != nil {
			return err
		}
		names := make([]string, 0, len(list))
		for _, l := range list {
			names = append(names, l.Mailbox)
		}
		slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
		var errs []error
		for _, name := range names {
			if err := c.Delete(name).Wait(); err != nil {
				errs = append(errs, fmt.Errorf("delete %q: %w", name, err))
			}
		}
		return errors.Join(errs...)
	})
}

// Message builds a small valid RFC 5322 message; n makes it unique.
func Message(n int, subject string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Customer %d <customer%d@example.com>\r\n", n, n)
	b.WriteString("To: support@shop.example\r\n")
	fmt.Fprintf(&b, "Subject: %s\r\n", subject)
	fmt.Fprintf(&b, "Message-ID: <m%d.%d@example.com>\r\n", n, time.Now().UnixNano())
	b.WriteString("Date: Mon, 02 Mar 2026 10:00:00 +0800\r\n")
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	fmt.Fprintf(&b, "Hello, this is message number %d.\r\n", n)
	return b.Bytes()
}

// DovecotOrMem returns Dovecot when the environment names one (see
// Dovecot), else a fresh in-memory server: for benchmarks that run
// anywhere but mean most against the real server.
func DovecotOrMem(t testing.TB) *Server {
	if os.Getenv(EnvDovecot) != "" {
		return Dovecot(t)
	}
	return StartMemServer(t)
}

// AppendGenerated appends the n messages gen(0) .. gen(n-1) to folder, in
// pipelined batches of 500, so a benchmark never holds its whole mailbox.
func (s *Server) AppendGenerated(ctx context.Context, t testing.TB, folder string, n int, gen func(i int) []byte) {
	t.Helper()
	batch := make([][]byte, 0, 500)
	for i := 0; i < n; i++ {
		batch = append(batch, gen(i))
		if len(batch) == cap(batch) || i == n-1 {
			if err := s.AppendMessages(ctx, folder, batch...); err != nil {
				t.Fatalf("imaptest: appending: %v", err)
			}
			batch = batch[:0]
		}
	}
}
