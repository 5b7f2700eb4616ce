package config

import (
	"strings"
	"testing"
	"time"
)

func TestPrivacyDefaultsAndValidation(t *testing.T) {
	c, err := Parse([]byte(minimal), env(map[string]string{"PW": "x"}))
	if err != nil {
		t.Fatal(err)
	}
	p := c.Brands[0].Privacy
	if !p.VerificationOn() || strings.Join(p.VerifiedRights(), ",") != "access,correction,deletion" ||
		p.CodeTTL() != 24*time.Hour || p.MaxAttempts() != 5 || p.Officer != "support@xiyue.example" {
		t.Errorf("privacy defaults = %+v", p)
	}
	if len(p.Withdrawn()) != 3 {
		t.Errorf("withdrawal purposes = %v", p.Withdrawn())
	}
	good := strings.Replace(minimal, "    smtp:", `    privacy:
      authserv_id: mx.xiyue.example
      verification: {enabled: false, rights: [deletion], code_ttl: 2h, max_attempts: 3}
      consent_purposes: [surveys]
      legal_hold: {categories: [logistics], reason: order-dispute records}
      retention: {closed_tickets: 1095d, raw_mail: 180d, attachments: 4320h}
    smtp:`, 1)
	c, err = Parse([]byte(good), env(map[string]string{"PW": "x"}))
	if err != nil {
		t.Fatal(err)
	}
	p = c.Brands[0].Privacy
	if p.VerificationOn() || p.CodeTTL() != 2*time.Hour || !strings.Contains(strings.Join(p.Purposes(), ","), "surveys") {
		t.Errorf("privacy = %+v", p)
	}
	if d, _ := ParseAge(p.Retention.ClosedTickets); d != 1095*24*time.Hour {
		t.Errorf("closed_tickets = %v", d)
	}
	cases := []struct{ set, want string }{
		{"verification: {rights: [refund]}", "brands[0].privacy.verification.rights[0]: must be one of"},
		{"retention: {raw_mail: 6 months}", "brands[0].privacy.retention.raw_mail: must be a duration"},
		{"legal_hold: {categories: [orders]}", "brands[0].privacy.legal_hold.categories[0]"},
		{"officer: not-an-address", "brands[0].privacy.officer: is not an email address"},
		{"withdrawal_purposes: [spam]", "brands[0].privacy.withdrawal_purposes[0]: unknown purpose"},
		{"colour: blue", "brands[0].privacy.colour: unknown key"},
	}
	for _, c := range cases {
		y := strings.Replace(minimal, "    smtp:", "    privacy: {"+c.set+"}\n    smtp:", 1)
		_, err := Parse([]byte(y), env(map[string]string{"PW": "x"}))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.set, err, c.want)
		}
	}
}
