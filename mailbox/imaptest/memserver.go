package imaptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-sasl"
)

// Credentials of the memory server's only account.
const (
	MemUser     = "helpdesk"
	MemPassword = "helpdesk-test"
)

// MemOptions switch off optional server features, to test the client's
// fallbacks. (IDLE cannot be switched off: go-imap's server always
// advertises it.)
type MemOptions struct {
	NoMove  bool // do not advertise MOVE: the client must COPY + EXPUNGE
	NoOAuth bool // offer only AUTH=PLAIN, no XOAUTH2 or OAUTHBEARER
}

// StartMemServer starts an in-memory IMAP server with the default features
// and one account whose INBOX is empty. It stops when the test ends.
func StartMemServer(t testing.TB) *Server {
	return StartMemServerWith(t, MemOptions{})
}

// StartMemServerWith is StartMemServer with features switched off.
func StartMemServerWith(t testing.TB, mo MemOptions) *Server {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(MemUser, MemPassword)
	if err := user.Create("INBOX", nil); err != nil {
		t.Fatalf("imaptest: creating INBOX: %v", err)
	}
	mem.AddUser(user)

	cert, pool := selfSignedCert(t)
	caps := imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapUIDPlus: {}}
	if !mo.NoMove {
		caps[imap.CapMove] = struct{}{}
	}
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &memSession{Session: mem.NewSession(), noOAuth: mo.NoOAuth}, nil, nil
		},
		Caps:         caps,
		Logger:       log.New(io.Discard, "", 0), // t.Log would panic after the test ends
		TLSConfig:    &tls.Config{Certificates: []tls.Certificate{cert}},
		InsecureAuth: true,
	})
	plain := listen(t)
	tlsLn := tls.NewListener(listen(t), &tls.Config{Certificates: []tls.Certificate{cert}})
	go srv.Serve(plain)
	go srv.Serve(tlsLn)
	t.Cleanup(func() { srv.Close() })

	s := &Server{
		Kind:     KindMemServer,
		Host:     "127.0.0.1",
		Port:     plain.Addr().(*net.TCPAddr).Port,
		TLSPort:  tlsLn.Addr().(*net.TCPAddr).Port,
		Username: MemUser,
		Password: MemPassword,
		Folder:   "INBOX",
		RootCAs:  pool,
	}
	return s
}

func listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("imaptest: listen: %v", err)
	}
	return ln
}

// memSession adds the OAuth2 SASL mechanisms to the memory server's
// session (accepting the account password as the bearer token), and
// forwards MOVE, which embedding the Session interface would hide.
type memSession struct {
	imapserver.Session
	noOAuth bool
}

var (
	_ imapserver.SessionSASL = (*memSession)(nil)
	_ imapserver.SessionMove = (*memSession)(nil)
)

func (s *memSession) Move(w *imapserver.MoveWriter, numSet imap.NumSet, dest string) error {
	return s.Session.(imapserver.SessionMove).Move(w, numSet, dest)
}

func (s *memSession) AuthenticateMechanisms() []string {
	if s.noOAuth {
		return []string{"PLAIN"}
	}
	return []string{"PLAIN", "XOAUTH2", sasl.OAuthBearer}
}

func (s *memSession) Authenticate(mech string) (sasl.Server, error) {
	switch mech {
	case "PLAIN":
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return errAuthFailed
			}
			return s.Login(username, password)
		}), nil
	case "XOAUTH2":
		if s.noOAuth {
			break
		}
		return &xoauth2Server{login: s.Login}, nil
	case sasl.OAuthBearer:
		if s.noOAuth {
			break
		}
		return sasl.NewOAuthBearerServer(func(o sasl.OAuthBearerOptions) *sasl.OAuthBearerError {
			if err := s.Login(o.Username, o.Token); err != nil {
				return &sasl.OAuthBearerError{Status: "invalid_token", Schemes: "bearer"}
			}
			return nil
		}), nil
	}
	return nil, &imap.Error{Type: imap.StatusResponseTypeNo, Text: "SASL mechanism not supported"}
}

var errAuthFailed = &imap.Error{
	Type: imap.StatusResponseTypeNo,
	Code: imap.ResponseCodeAuthenticationFailed,
	Text: "Invalid credentials",
}

// xoauth2Server is the server side of XOAUTH2 as Google runs it: a bad
// token gets a JSON error challenge, and after the client's empty reply the
// command fails.
type xoauth2Server struct {
	login  func(user, token string) error
	failed bool
}

func (x *xoauth2Server) Next(resp []byte) (challenge []byte, done bool, err error) {
	if x.failed {
		if len(resp) != 0 {
			return nil, true, &imap.Error{Type: imap.StatusResponseTypeBad, Text: "expected an empty response after the error challenge"}
		}
		return nil, true, errAuthFailed
	}
	if resp == nil {
		return []byte{}, false, nil // ask for the initial response
	}
	user, token, ok := parseXOAuth2(string(resp))
	if !ok {
		return nil, true, &imap.Error{Type: imap.StatusResponseTypeBad, Text: "malformed XOAUTH2 response"}
	}
	if err := x.login(user, token); err != nil {
		x.failed = true
		return []byte(`{"status":"401","schemes":"bearer","scope":"https://mail.example/"}`), false, nil
	}
	return nil, true, nil
}

// parseXOAuth2 splits "user=U\x01auth=Bearer T\x01\x01".
func parseXOAuth2(s string) (user, token string, ok bool) {
	body, found := strings.CutSuffix(s, "\x01\x01")
	if !found {
		return "", "", false
	}
	for _, kv := range strings.Split(body, "\x01") {
		switch {
		case strings.HasPrefix(kv, "user="):
			user = strings.TrimPrefix(kv, "user=")
		case strings.HasPrefix(kv, "auth=Bearer "):
			token = strings.TrimPrefix(kv, "auth=Bearer ")
		default:
			return "", "", false
		}
	}
	return user, token, user != "" && token != ""
}

// selfSignedCert makes a certificate for 127.0.0.1/localhost and a pool
// that trusts it.
func selfSignedCert(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("imaptest: key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "imaptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("imaptest: certificate: %v", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("imaptest: parse certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
