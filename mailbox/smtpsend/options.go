package smtpsend

import (
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	gomailsmtp "github.com/wneessen/go-mail/smtp"
)

// Security modes for Options.Security.
const (
	SecurityTLS      = "tls"      // implicit TLS (submissions, port 465)
	SecurityStartTLS = "starttls" // STARTTLS is required (submission, port 587)
	SecurityNone     = "none"     // plain text; for loopback relays and tests only
)

// Auth modes for Options.Auth.
const (
	AuthPassword    = "password"    // PLAIN, else LOGIN
	AuthXOAuth2     = "xoauth2"     // Username + Token
	AuthOAuthBearer = "oauthbearer" // RFC 7628; Username + Token
	AuthNone        = "none"        // a relay that takes no login
)

// DefaultTimeout bounds each connection attempt and each transaction when
// Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Options configures a Sender. The zero value of each optional field is safe.
type Options struct {
	Host string
	Port int // 0 means 465 for "tls", 587 for "starttls", 25 for "none"

	Security string // SecurityTLS, SecurityStartTLS or SecurityNone; "" means starttls

	Username, Password string
	Auth               string // AuthPassword, AuthXOAuth2, AuthOAuthBearer, AuthNone; "" means password when Username is set, else none
	Token              string // OAuth access token for xoauth2 / oauthbearer

	HeloName  string      // EHLO name; "" means the host name
	TLSConfig *tls.Config // nil means system roots, ServerName = Host, TLS 1.2+

	Timeout time.Duration // per connection attempt and per transaction; 0 means DefaultTimeout

	DKIM *DKIMOptions // nil means no signature
}

// DKIMOptions enables DKIM signing (RFC 6376) of every message a Sender sends.
type DKIMOptions struct {
	Domain, Selector string
	PrivateKeyPEM    []byte // RSA (PKCS#1 or PKCS#8) or Ed25519 (PKCS#8)
}

// normalize fills defaults and rejects impossible combinations.
func (o Options) normalize() (Options, error) {
	if o.Host == "" {
		return o, errors.New("smtp host is required")
	}
	if o.Security == "" {
		o.Security = SecurityStartTLS
	}
	switch o.Security {
	case SecurityTLS, SecurityStartTLS, SecurityNone:
	default:
		return o, fmt.Errorf("unknown smtp security %q", o.Security)
	}
	if o.Port == 0 {
		o.Port = map[string]int{SecurityTLS: 465, SecurityStartTLS: 587, SecurityNone: 25}[o.Security]
	}
	if o.Port < 0 || o.Port > 65535 {
		return o, fmt.Errorf("invalid smtp port %d", o.Port)
	}
	if o.Auth == "" {
		o.Auth = AuthNone
		if o.Username != "" {
			o.Auth = AuthPassword
		}
	}
	switch o.Auth {
	case AuthNone:
	case AuthPassword:
		if o.Username == "" {
			return o, errors.New("smtp auth password needs a username")
		}
	case AuthXOAuth2, AuthOAuthBearer:
		if o.Username == "" || o.Token == "" {
			return o, fmt.Errorf("smtp auth %s needs a username and a token", o.Auth)
		}
	default:
		return o, fmt.Errorf("unknown smtp auth %q", o.Auth)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.TLSConfig == nil {
		o.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	} else {
		o.TLSConfig = o.TLSConfig.Clone()
	}
	if o.TLSConfig.ServerName == "" {
		o.TLSConfig.ServerName = o.Host
	}
	return o, nil
}

// clientOptions translates o into go-mail client options. dial is used for
// every connection so that the Sender holds the net.Conn (for deadlines and
// cancellation); with implicit TLS it performs the handshake itself.
func (o Options) clientOptions(dial gomail.DialContextFunc) []gomail.Option {
	opts := []gomail.Option{
		gomail.WithPort(o.Port),
		gomail.WithTimeout(o.Timeout),
		gomail.WithTLSConfig(o.TLSConfig),
		gomail.WithDialContextFunc(dial),
	}
	if o.HeloName != "" {
		opts = append(opts, gomail.WithHELO(o.HeloName))
	}
	switch o.Security {
	case SecurityTLS:
		opts = append(opts, gomail.WithSSL())
	case SecurityStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case SecurityNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	// AUTH runs in Sender.connect, after go-mail has set up the session,
	// so that its failures are told apart from connection failures.
	opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthNoAuth))
	return opts
}

// authFor picks the SASL mechanism for o among the mechanisms the server
// advertised. It returns nil when o.Auth is none.
func (o Options) authFor(advertised string) (gomailsmtp.Auth, error) {
	has := func(mech string) bool {
		for _, m := range strings.Fields(advertised) {
			if strings.EqualFold(m, mech) {
				return true
			}
		}
		return false
	}
	// security none was chosen by the operator (a loopback relay), so a
	// password may travel in clear there.
	clear := o.Security == SecurityNone
	switch o.Auth {
	case AuthNone:
		return nil, nil
	case AuthPassword:
		switch {
		case has("PLAIN"):
			return gomailsmtp.PlainAuth("", o.Username, o.Password, o.Host, clear), nil
		case has("LOGIN"):
			return gomailsmtp.LoginAuth(o.Username, o.Password, o.Host, clear), nil
		}
		return nil, fmt.Errorf("server offers neither PLAIN nor LOGIN (AUTH %s)", advertised)
	case AuthXOAuth2:
		if !has("XOAUTH2") {
			return nil, fmt.Errorf("server does not offer XOAUTH2 (AUTH %s)", advertised)
		}
		return gomailsmtp.XOAuth2Auth(o.Username, o.Token), nil
	case AuthOAuthBearer:
		if !has("OAUTHBEARER") {
			return nil, fmt.Errorf("server does not offer OAUTHBEARER (AUTH %s)", advertised)
		}
		return &oauthBearer{user: o.Username, token: o.Token, host: o.Host, port: o.Port}, nil
	}
	return nil, fmt.Errorf("unknown smtp auth %q", o.Auth)
}

// oauthBearer is the RFC 7628 OAUTHBEARER mechanism, which go-mail lacks.
type oauthBearer struct {
	user, token, host string
	port              int
}

func (a *oauthBearer) Start(_ *gomailsmtp.ServerInfo) (string, []byte, error) {
	ir := fmt.Sprintf("n,a=%s,\x01host=%s\x01port=%d\x01auth=Bearer %s\x01\x01",
		saslName(a.user), a.host, a.port, a.token)
	return "OAUTHBEARER", []byte(ir), nil
}

// Next answers a failure challenge (a JSON status) with the single 0x01 byte
// RFC 7628 section 3.2.3 requires, so the server can send its final error.
func (a *oauthBearer) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return []byte{0x01}, nil
	}
	return nil, nil
}

// saslName escapes "," and "=" in a GS2 authzid (RFC 5801 section 4).
func saslName(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',':
			out = append(out, "=2C"...)
		case '=':
			out = append(out, "=3D"...)
		default:
			out = append(out, s[i])
		}
	}
	return string(out)
}
