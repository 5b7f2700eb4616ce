package config

import (
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"helpdesk/tickets/calendar"
)

// Problems is every validation error found, each naming its key.
type Problems []string

// Error lists every problem, each naming its key.
func (p Problems) Error() string { return "config: " + strings.Join(p, "; ") }

var (
	brandIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)
	prefixPattern  = regexp.MustCompile(`^[A-Z][A-Z0-9]{0,7}$`)
)

// target checks a policy duration: `8bh`, `3bd` or a Go duration.
func target(s string) error {
	d, err := calendar.ParseDuration(s)
	if err != nil || d.IsZero() {
		return fmt.Errorf("must be a duration such as 8bh, 3bd or 48h (got %q)", s)
	}
	return nil
}

// Validate checks every value and returns Problems naming each bad key.
func (c *Config) Validate() error {
	var p Problems
	add := func(key, format string, args ...any) {
		p = append(p, key+": "+fmt.Sprintf(format, args...))
	}
	oneOf := func(key, got string, allowed ...string) {
		for _, a := range allowed {
			if got == a {
				return
			}
		}
		add(key, "must be one of %s (got %q)", strings.Join(allowed, ", "), got)
	}
	oneOf("database.driver", c.Database.Driver, "sqlite", "postgres")
	if c.Database.DSN == "" {
		add("database.dsn", "is required")
	}
	if c.DataDir == "" {
		add("data_dir", "is required")
	}
	oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	oneOf("log.format", c.Log.Format, "text", "json")
	if c.Outbox.Workers < 1 {
		add("outbox.workers", "must be at least 1 (got %d)", c.Outbox.Workers)
	}
	if c.Outbox.MaxAttempts < 1 {
		add("outbox.max_attempts", "must be at least 1 (got %d)", c.Outbox.MaxAttempts)
	}
	if c.Outbox.RatePerSecond < 0 {
		add("outbox.rate_per_second", "must not be negative")
	}
	if c.Outbox.PerDomainPerSecond < 0 {
		add("outbox.per_domain_per_second", "must not be negative")
	}
	if c.Ingest.BatchSize < 1 {
		add("ingest.batch_size", "must be at least 1")
	}
	if c.Ingest.BatchInterval <= 0 {
		add("ingest.batch_interval", "must be positive")
	}
	shared, err := calendar.New(c.Calendar)
	if err != nil {
		p = append(p, calendarProblems("", err)...)
	}
	if c.Agents.Address != "" && !validEmail(c.Agents.Address) {
		add("agents.address", "is not an email address (got %q)", c.Agents.Address)
	}
	if err := target(c.Agents.WarnBefore); err != nil {
		add("agents.warn_before", "%v", err)
	}
	if len(c.Brands) == 0 {
		add("brands", "at least one brand is required")
	}
	ids := map[string]bool{}
	prefixes := map[string]bool{}
	for i, b := range c.Brands {
		k := fmt.Sprintf("brands[%d]", i)
		if !brandIDPattern.MatchString(b.ID) {
			add(k+".id", "must be lower-case letters, digits, - or _ (got %q)", b.ID)
		} else if ids[b.ID] {
			add(k+".id", "duplicate brand id %q", b.ID)
		}
		ids[b.ID] = true
		if b.Name == "" {
			add(k+".name", "is required")
		}
		if !validEmail(b.Address) {
			add(k+".address", "is not an email address (got %q)", b.Address)
		}
		for j, a := range b.Aliases {
			if !validEmail(a) {
				add(fmt.Sprintf("%s.aliases[%d]", k, j), "is not an email address (got %q)", a)
			}
		}
		if !validEmail(b.PrivacyContact) {
			add(k+".privacy_contact", "is not an email address (got %q)", b.PrivacyContact)
		}
		if !prefixPattern.MatchString(b.TicketPrefix) {
			add(k+".ticket_prefix", "must be 1-8 upper-case letters or digits, starting with a letter (got %q)", b.TicketPrefix)
		} else if prefixes[b.TicketPrefix] {
			add(k+".ticket_prefix", "duplicate prefix %q", b.TicketPrefix)
		}
		prefixes[b.TicketPrefix] = true
		im := b.IMAP
		if im.Host == "" {
			add(k+".imap.host", "is required")
		}
		if im.Port < 1 || im.Port > 65535 {
			add(k+".imap.port", "must be 1-65535 (got %d)", im.Port)
		}
		oneOf(k+".imap.security", im.Security, "tls", "starttls", "none")
		oneOf(k+".imap.auth", im.Auth, "password", "xoauth2", "oauthbearer")
		if im.Username == "" {
			add(k+".imap.username", "is required")
		}
		if im.Auth == "password" && im.Password == "" {
			add(k+".imap.password", "is required for auth password")
		}
		if im.Auth != "password" && im.Token == "" {
			add(k+".imap.token", "is required for auth %s", im.Auth)
		}
		if im.AfterImport != "none" && im.AfterImport != "seen" &&
			(!strings.HasPrefix(im.AfterImport, "move:") || len(im.AfterImport) == len("move:")) {
			add(k+".imap.after_import", "must be none, seen or move:FOLDER (got %q)", im.AfterImport)
		}
		if im.PollInterval.Std() < time.Second {
			add(k+".imap.poll_interval", "must be at least 1s")
		}
		sm := b.SMTP
		if sm.Host == "" {
			add(k+".smtp.host", "is required")
		}
		if sm.Port < 1 || sm.Port > 65535 {
			add(k+".smtp.port", "must be 1-65535 (got %d)", sm.Port)
		}
		oneOf(k+".smtp.security", sm.Security, "tls", "starttls", "none")
		oneOf(k+".smtp.auth", sm.Auth, "password", "xoauth2", "oauthbearer", "none")
		if (sm.Auth == "password") && (sm.Username == "" || sm.Password == "") {
			add(k+".smtp", "username and password are required for auth password")
		}
		if (sm.Auth == "xoauth2" || sm.Auth == "oauthbearer") && sm.Token == "" {
			add(k+".smtp.token", "is required for auth %s", sm.Auth)
		}
		if sm.DKIM != nil && (sm.DKIM.Domain == "" || sm.DKIM.Selector == "" || sm.DKIM.KeyFile == "") {
			add(k+".smtp.dkim", "domain, selector and key_file are all required")
		}
		if b.Calendar != nil && shared != nil {
			if _, err := shared.WithOverride(*b.Calendar); err != nil {
				p = append(p, calendarProblems(k+".", err)...)
			}
		}
		if err := target(b.Policy.FirstResponse); err != nil {
			add(k+".policy.first_response", "%v", err)
		}
		checkTargets := func(sub string, m map[string]string, known ...string) {
			for name, v := range m {
				if !contains(known, name) {
					add(fmt.Sprintf("%s.policy.%s.%s", k, sub, name), "unknown %s (known: %s)", sub, strings.Join(known, ", "))
					continue
				}
				if err := target(v); err != nil {
					add(fmt.Sprintf("%s.policy.%s.%s", k, sub, name), "%v", err)
				}
			}
		}
		checkTargets("resolution", b.Policy.Resolution, "product", "logistics", "other")
		checkTargets("rights", b.Policy.Rights, "access", "correction", "deletion", "consent_withdrawal", "complaint")
		if b.Policy.NoticeDays < 0 {
			add(k+".policy.notice_days", "must not be negative")
		}
		validatePrivacy(k, b.Privacy, add)
	}
	if len(p) > 0 {
		return p
	}
	return nil
}

// calendarProblems lists the calendar's errors, each naming its key under
// prefix ("" for the shared calendar, "brands[1]." for an override).
func calendarProblems(prefix string, err error) []string {
	var out []string
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var se *calendar.SpecError
		if errors.As(err, &se) {
			out = append(out, prefix+se.Field+": "+se.Err.Error())
			return
		}
		out = append(out, prefix+"calendar: "+err.Error())
	}
	walk(err)
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s, "@")
}

// IsProblems reports whether err is a validation failure.
func IsProblems(err error) bool {
	var p Problems
	return errors.As(err, &p)
}
