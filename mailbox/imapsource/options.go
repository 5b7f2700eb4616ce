package imapsource

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Security values for Options.Security.
const (
	SecurityTLS      = "tls"      // implicit TLS from the first byte (port 993)
	SecurityStartTLS = "starttls" // plain connect, then STARTTLS before login (port 143)
	SecurityNone     = "none"     // no encryption: loopback and tests only
)

// Auth values for Options.Auth.
const (
	AuthPassword    = "password"    // LOGIN with Username and Password
	AuthXOAuth2     = "xoauth2"     // SASL XOAUTH2 with Username and Token
	AuthOAuthBearer = "oauthbearer" // SASL OAUTHBEARER (RFC 7628) with Username and Token
)

// AfterImport values; "move:FOLDER" carries the destination after the colon.
const (
	AfterImportNone = "none"
	AfterImportSeen = "seen"
	afterImportMove = "move:"
)

// Defaults applied by Dial for zero-valued fields.
const (
	DefaultFolder         = "INBOX"
	DefaultFetchBatch     = 200
	DefaultMaxMessageSize = 64 << 20 // 64 MiB
	defaultDialTimeout    = 30 * time.Second
)

// Options configures one IMAP ingest session. The zero value of every field
// except Host, Username and the secret is usable.
type Options struct {
	Host string
	Port int // 0: 993 for tls, 143 otherwise

	Security string // SecurityTLS (default), SecurityStartTLS or SecurityNone

	Username string
	Password string // for AuthPassword; never logged
	Auth     string // AuthPassword (default), AuthXOAuth2 or AuthOAuthBearer
	Token    string // OAuth2 access token for xoauth2/oauthbearer; never logged

	Folder      string // mailbox to ingest; default INBOX
	AfterImport string // "none" (default), "seen" or "move:FOLDER"

	// TLSConfig is used for tls and starttls. Nil means the system roots
	// with ServerName = Host. Tests pass one that trusts a self-signed cert.
	TLSConfig *tls.Config

	FetchBatch int // UIDs per UID FETCH command; default 200

	// MaxMessageSize bounds the bytes held in memory for one message. A
	// larger message is skipped over on the wire and reported to the Fetch
	// callback as a MessageError wrapping ErrTooLarge. 0 means
	// DefaultMaxMessageSize; negative means no limit.
	MaxMessageSize int64

	DialTimeout time.Duration // TCP connect + TLS handshake; default 30s
	Logger      *slog.Logger  // nil: discard
}

// withDefaults returns a copy of o with defaults filled in, or an error
// describing the first invalid setting.
func (o Options) withDefaults() (Options, error) {
	if o.Host == "" {
		return o, errors.New("host is empty")
	}
	o.Security = strings.ToLower(o.Security)
	switch o.Security {
	case "":
		o.Security = SecurityTLS
	case SecurityTLS, SecurityStartTLS, SecurityNone:
	default:
		return o, fmt.Errorf("security %q: want tls, starttls or none", o.Security)
	}
	if o.Port == 0 {
		o.Port = 143
		if o.Security == SecurityTLS {
			o.Port = 993
		}
	}
	if o.Port < 0 || o.Port > 65535 {
		return o, fmt.Errorf("port %d out of range", o.Port)
	}
	o.Auth = strings.ToLower(o.Auth)
	switch o.Auth {
	case "":
		o.Auth = AuthPassword
	case AuthPassword, AuthXOAuth2, AuthOAuthBearer:
	default:
		return o, fmt.Errorf("auth %q: want password, xoauth2 or oauthbearer", o.Auth)
	}
	if o.Username == "" {
		return o, errors.New("username is empty")
	}
	if o.Auth != AuthPassword && o.Token == "" {
		return o, fmt.Errorf("auth %s needs a token", o.Auth)
	}
	if o.Folder == "" {
		o.Folder = DefaultFolder
	}
	if o.AfterImport == "" {
		o.AfterImport = AfterImportNone
	}
	switch {
	case o.AfterImport == AfterImportNone, o.AfterImport == AfterImportSeen:
	case strings.HasPrefix(o.AfterImport, afterImportMove):
		dest := o.moveDest()
		if dest == "" {
			return o, errors.New("after_import move: needs a folder, e.g. move:Archive")
		}
		if strings.EqualFold(dest, o.Folder) {
			return o, fmt.Errorf("after_import %q moves into the ingested folder itself", o.AfterImport)
		}
	default:
		return o, fmt.Errorf("after_import %q: want none, seen or move:FOLDER", o.AfterImport)
	}
	if o.FetchBatch <= 0 {
		o.FetchBatch = DefaultFetchBatch
	}
	if o.MaxMessageSize == 0 {
		o.MaxMessageSize = DefaultMaxMessageSize
	}
	if o.DialTimeout <= 0 {
		o.DialTimeout = defaultDialTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}

// moveDest returns FOLDER for AfterImport "move:FOLDER", else "".
func (o Options) moveDest() string {
	if !strings.HasPrefix(o.AfterImport, afterImportMove) {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(o.AfterImport, afterImportMove))
}
