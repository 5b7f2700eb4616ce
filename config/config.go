// Package config loads and validates helpdesk.yaml.
//
// Loading happens in three steps, as in soju: Defaults() gives a complete
// configuration with safe values, Load() reads the YAML file over it
// (expanding ${ENV} references inside scalar values and rejecting unknown
// keys by their full path), and Validate() checks every value and names the
// offending key in its error, e.g. `brands[0].imap.security: must be one of
// tls, starttls, none (got "ssl")`.
package config

import (
	"time"

	"helpdesk/tickets/calendar"
)

// Config is the whole configuration file.
type Config struct {
	Database Database    `yaml:"database"`
	DataDir  string      `yaml:"data_dir"`
	Log      Log         `yaml:"log"`
	HTTP     HTTP        `yaml:"http"`
	Outbox   Outbox      `yaml:"outbox"`
	Ingest   Ingest      `yaml:"ingest"`
	Calendar Calendar    `yaml:"calendar"`
	Agents   Agents      `yaml:"agents"`
	Privacy  PrivacyKeys `yaml:"privacy"`
	Brands   []Brand     `yaml:"brands"`
}

// Database selects the store.
type Database struct {
	Driver string `yaml:"driver"` // sqlite | postgres
	DSN    string `yaml:"dsn"`
}

// Log configures log/slog output on stderr.
type Log struct {
	Level  string `yaml:"level"`  // debug | info | warn | error
	Format string `yaml:"format"` // text | json
}

// HTTP configures the daemon's HTTP listener.
type HTTP struct {
	Listen  string `yaml:"listen"`
	BaseURL string `yaml:"base_url"` // public URL for links in mail; default http://<listen>
}

// Outbox configures the sending workers.
type Outbox struct {
	Workers            int     `yaml:"workers"`
	MaxAttempts        int     `yaml:"max_attempts"`
	RatePerSecond      float64 `yaml:"rate_per_second"`       // 0 = unlimited
	PerDomainPerSecond float64 `yaml:"per_domain_per_second"` // 0 = unlimited
	AutoPerHour        int     `yaml:"auto_per_hour"`         // automatic mails per recipient per hour
	AutoPerDay         int     `yaml:"auto_per_day"`          // automatic mails per recipient per day
}

// Ingest tunes the IMAP ingest batching.
type Ingest struct {
	BatchSize       int      `yaml:"batch_size"`        // messages per commit
	BatchInterval   Duration `yaml:"batch_interval"`    // max time between commits
	MaxMessageBytes int64    `yaml:"max_message_bytes"` // larger messages are quarantined
}

// Calendar is a business calendar: the shared one, or a brand's override
// (whose set fields replace the shared ones). The semantics are those of
// package tickets/calendar.
type Calendar = calendar.Spec

// Agents is where internal mail (SLA warnings and breaches) goes.
type Agents struct {
	Address    string `yaml:"address"`
	WarnBefore string `yaml:"warn_before"` // business or wall-clock duration before a deadline
}

// Brand is one shop with its own service mailbox.
type Brand struct {
	ID             string    `yaml:"id"`
	Name           string    `yaml:"name"`
	Address        string    `yaml:"address"`
	Aliases        []string  `yaml:"aliases"` // other addresses that are ours (never auto-answered)
	TicketPrefix   string    `yaml:"ticket_prefix"`
	Language       string    `yaml:"language"`
	PrivacyContact string    `yaml:"privacy_contact"`
	Templates      string    `yaml:"templates"` // directory overriding the embedded templates
	IMAP           IMAP      `yaml:"imap"`
	SMTP           SMTP      `yaml:"smtp"`
	Policy         Policy    `yaml:"policy"`
	Calendar       *Calendar `yaml:"calendar"` // overrides the shared calendar
	Privacy        Privacy   `yaml:"privacy"`
}

// IMAP is a brand's service mailbox.
type IMAP struct {
	Host         string   `yaml:"host"`
	Port         int      `yaml:"port"`
	Security     string   `yaml:"security"` // tls | starttls | none
	Username     string   `yaml:"username"`
	Password     string   `yaml:"password"`
	Auth         string   `yaml:"auth"`  // password | xoauth2 | oauthbearer
	Token        string   `yaml:"token"` // OAuth2 access token for xoauth2/oauthbearer
	Folder       string   `yaml:"folder"`
	AfterImport  string   `yaml:"after_import"` // none | seen | move:FOLDER
	PollInterval Duration `yaml:"poll_interval"`
	IDLE         bool     `yaml:"idle"`
	InsecureTLS  bool     `yaml:"insecure_skip_verify"` // tests only
}

// SMTP is a brand's submission server.
type SMTP struct {
	Host        string `yaml:"host"`
	Port        int    `yaml:"port"`
	Security    string `yaml:"security"` // tls | starttls | none
	Username    string `yaml:"username"`
	Password    string `yaml:"password"`
	Auth        string `yaml:"auth"` // password | xoauth2 | oauthbearer | none
	Token       string `yaml:"token"`
	InsecureTLS bool   `yaml:"insecure_skip_verify"`
	DKIM        *DKIM  `yaml:"dkim"`
}

// DKIM signs outgoing mail.
type DKIM struct {
	Domain   string `yaml:"domain"`
	Selector string `yaml:"selector"`
	KeyFile  string `yaml:"key_file"`
}

// Policy holds a brand's service-level targets as duration strings
// (`8bh`, `3bd`, `48h`).
type Policy struct {
	FirstResponse string            `yaml:"first_response"`
	Resolution    map[string]string `yaml:"resolution"` // product, logistics, other
	Rights        map[string]string `yaml:"rights"`     // access, correction, deletion, consent_withdrawal, complaint
	NoticeDays    int               `yaml:"notice_days"`
}

// Duration is a time.Duration written as a Go duration string in YAML.
type Duration time.Duration

// UnmarshalText parses "60s", "5m" and so on.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the Go duration string.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Std returns the value as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }
