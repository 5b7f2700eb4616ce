package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PrivacyKeys is the top-level `privacy:` section: settings shared by every
// brand.
type PrivacyKeys struct {
	// HashKey keys the HMAC-SHA256 that stands in for an email address in
	// the audit log and the erasure list. Empty: a random key is generated
	// into <data_dir>/privacy-hash.key (mode 0600) on first use. Several
	// daemons on one database must share it: set it, e.g. "${HELPDESK_HASH_KEY}".
	HashKey string `yaml:"hash_key"`
}

// Privacy is a brand's personal-information settings.
type Privacy struct {
	Verification Verification `yaml:"verification"`
	// AuthservID is the authserv-id our own receiving server writes into
	// Authentication-Results. Only the topmost such header counts; headers
	// with other ids are forgeable and ignored. Empty: results are not
	// consulted, and a known verified address is trusted on its From alone.
	AuthservID string `yaml:"authserv_id"`
	// Officer receives a copy of every privacy complaint; default
	// privacy_contact. No copy is sent when it is the service address
	// itself (the complaint is already in that mailbox).
	Officer string `yaml:"officer"`
	// ConsentPurposes are purposes beyond the built-in order_status,
	// marketing and notices that customers can switch off.
	ConsentPurposes []string `yaml:"consent_purposes"`
	// WithdrawalPurposes are switched off by a consent-withdrawal request;
	// default every purpose.
	WithdrawalPurposes []string `yaml:"withdrawal_purposes"`
	// LegalHold names the tickets an erasure anonymizes instead of deleting.
	LegalHold LegalHold `yaml:"legal_hold"`
	// Retention is how long data is kept, per kind; "" keeps it forever.
	Retention Retention `yaml:"retention"`
}

// Verification configures identity checks on privacy-rights requests.
type Verification struct {
	Enabled     *bool    `yaml:"enabled"`      // default true
	Rights      []string `yaml:"rights"`       // rights types that need it; default access, correction, deletion
	CodeTTL     Duration `yaml:"code_ttl"`     // default 24h
	MaxAttempts int      `yaml:"max_attempts"` // wrong codes allowed per code; default 5
}

// LegalHold keeps records the law (or a dispute) requires, anonymized.
type LegalHold struct {
	Categories []string `yaml:"categories"` // ticket categories kept, e.g. [logistics] for order disputes
	Reason     string   `yaml:"reason"`     // reported by erase, e.g. "order-dispute records"
}

// Retention periods: a Go duration or a number of days ("180d"); "" or
// "0" keeps forever.
type Retention struct {
	ClosedTickets string `yaml:"closed_tickets"` // resolved/closed tickets, counted from resolution
	RawMail       string `yaml:"raw_mail"`       // raw RFC 5322 bytes (parsed text stays)
	Attachments   string `yaml:"attachments"`
}

// BuiltinPurposes are the consent purposes every brand has.
func BuiltinPurposes() []string { return []string{"order_status", "marketing", "notices"} }

// Purposes is every consent purpose of the brand.
func (p Privacy) Purposes() []string {
	out := BuiltinPurposes()
	for _, x := range p.ConsentPurposes {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// VerificationOn reports whether identity verification is enabled.
func (p Privacy) VerificationOn() bool {
	return p.Verification.Enabled == nil || *p.Verification.Enabled
}

// VerifiedRights are the rights types that need verification.
func (p Privacy) VerifiedRights() []string {
	if len(p.Verification.Rights) == 0 {
		return []string{"access", "correction", "deletion"}
	}
	return p.Verification.Rights
}

// CodeTTL is how long a verification code stays valid.
func (p Privacy) CodeTTL() time.Duration {
	if p.Verification.CodeTTL <= 0 {
		return 24 * time.Hour
	}
	return p.Verification.CodeTTL.Std()
}

// MaxAttempts is how many wrong codes a code tolerates.
func (p Privacy) MaxAttempts() int {
	if p.Verification.MaxAttempts <= 0 {
		return 5
	}
	return p.Verification.MaxAttempts
}

// Withdrawn is what a consent-withdrawal request switches off.
func (p Privacy) Withdrawn() []string {
	if len(p.WithdrawalPurposes) == 0 {
		return p.Purposes()
	}
	return p.WithdrawalPurposes
}

// ParseAge parses a retention period: a Go duration ("720h") or whole
// days ("180d"). "" and "0" mean keep forever (0).
func ParseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("must be a duration such as 180d or 720h (got %q)", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("must be a duration such as 180d or 720h (got %q)", s)
	}
	return d, nil
}

func (p *Privacy) fill(b *Brand) {
	if p.Officer == "" {
		p.Officer = b.PrivacyContact
	}
	if p.Verification.Enabled == nil {
		on := true
		p.Verification.Enabled = &on
	}
	p.Verification.Rights = p.VerifiedRights()
	p.Verification.CodeTTL = Duration(p.CodeTTL())
	p.Verification.MaxAttempts = p.MaxAttempts()
}

// validatePrivacy checks brand k's privacy section.
func validatePrivacy(k string, p Privacy, add func(key, format string, args ...any)) {
	k += ".privacy"
	rights := []string{"access", "correction", "deletion", "consent_withdrawal", "complaint"}
	for i, r := range p.Verification.Rights {
		if !contains(rights, r) {
			add(fmt.Sprintf("%s.verification.rights[%d]", k, i), "must be one of %s (got %q)", strings.Join(rights, ", "), r)
		}
	}
	if p.Verification.CodeTTL < 0 {
		add(k+".verification.code_ttl", "must not be negative")
	}
	if p.Verification.MaxAttempts < 0 {
		add(k+".verification.max_attempts", "must not be negative")
	}
	if p.Officer != "" && !validEmail(p.Officer) {
		add(k+".officer", "is not an email address (got %q)", p.Officer)
	}
	if strings.ContainsAny(p.AuthservID, " \t;") {
		add(k+".authserv_id", "must be a single token such as mx.example.com (got %q)", p.AuthservID)
	}
	for i, x := range p.ConsentPurposes {
		if !brandIDPattern.MatchString(x) {
			add(fmt.Sprintf("%s.consent_purposes[%d]", k, i), "must be lower-case letters, digits, - or _ (got %q)", x)
		}
	}
	for i, x := range p.WithdrawalPurposes {
		if !contains(p.Purposes(), x) {
			add(fmt.Sprintf("%s.withdrawal_purposes[%d]", k, i), "unknown purpose %q (known: %s)", x, strings.Join(p.Purposes(), ", "))
		}
	}
	cats := []string{"product", "logistics", "rights", "other"}
	for i, c := range p.LegalHold.Categories {
		if !contains(cats, c) {
			add(fmt.Sprintf("%s.legal_hold.categories[%d]", k, i), "must be one of %s (got %q)", strings.Join(cats, ", "), c)
		}
	}
	for key, v := range map[string]string{"closed_tickets": p.Retention.ClosedTickets,
		"raw_mail": p.Retention.RawMail, "attachments": p.Retention.Attachments} {
		if _, err := ParseAge(v); err != nil {
			add(k+".retention."+key, "%v", err)
		}
	}
}
