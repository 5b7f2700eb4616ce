package config

import (
	"os"
	"strings"
	"testing"
	"time"
)

const minimal = `
brands:
  - id: xiyue
    name: Xiyue
    address: support@xiyue.example
    ticket_prefix: XY
    imap: {host: imap.example, username: u, password: "${PW}"}
    smtp: {host: smtp.example, auth: none}
`

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseMinimalFillsDefaults(t *testing.T) {
	c, err := Parse([]byte(minimal), env(map[string]string{"PW": "s3cret: {x}"}))
	if err != nil {
		t.Fatal(err)
	}
	b := c.Brands[0]
	if b.IMAP.Password != "s3cret: {x}" {
		t.Errorf("password = %q, want the env value verbatim", b.IMAP.Password)
	}
	if b.IMAP.Port != 993 || b.IMAP.Security != "tls" || b.IMAP.Folder != "INBOX" {
		t.Errorf("imap defaults = %+v", b.IMAP)
	}
	if b.IMAP.PollInterval.Std() != time.Minute {
		t.Errorf("poll_interval = %v", b.IMAP.PollInterval.Std())
	}
	if b.SMTP.Port != 587 {
		t.Errorf("smtp port = %d, want 587", b.SMTP.Port)
	}
	if b.Policy.Rights["deletion"] != "15bd" || b.Policy.NoticeDays != 30 {
		t.Errorf("policy defaults = %+v", b.Policy)
	}
	if c.Database.Driver != "sqlite" || c.Outbox.Workers != 4 {
		t.Errorf("top-level defaults = %+v %+v", c.Database, c.Outbox)
	}
}

func TestParseErrorsNameTheKey(t *testing.T) {
	cases := []struct {
		name, yaml string
		env        map[string]string
		want       string
	}{
		{"unknown top key", minimal + "colour: blue\n", map[string]string{"PW": "x"}, "colour: unknown key"},
		{"unknown nested key", strings.Replace(minimal, "auth: none}", "auth: none, prot: 1}", 1), map[string]string{"PW": "x"}, "brands[0].smtp.prot: unknown key"},
		{"missing env", minimal, nil, "brands[0].imap.password: environment variable PW is not set"},
		{"bad security", strings.Replace(minimal, "username: u,", "username: u, security: ssl,", 1), map[string]string{"PW": "x"}, `brands[0].imap.security: must be one of tls, starttls, none (got "ssl")`},
		{"bad after_import", strings.Replace(minimal, "username: u,", "username: u, after_import: move:,", 1), map[string]string{"PW": "x"}, "brands[0].imap.after_import"},
		{"bad target", minimal + "    policy: {rights: {deletion: 15 days}}\n", map[string]string{"PW": "x"}, "brands[0].policy.rights.deletion: must be a duration"},
		{"unknown right", minimal + "    policy: {rights: {erasure: 3bd}}\n", map[string]string{"PW": "x"}, "brands[0].policy.rights.erasure: unknown rights"},
		{"bad driver", "database: {driver: mysql, dsn: x}\n" + minimal, map[string]string{"PW": "x"}, `database.driver: must be one of sqlite, postgres (got "mysql")`},
		{"bad prefix", strings.Replace(minimal, "ticket_prefix: XY", "ticket_prefix: xy-", 1), map[string]string{"PW": "x"}, "brands[0].ticket_prefix"},
		{"no brands", "data_dir: x\n", nil, "brands: at least one brand is required"},
		{"bad yaml", "brands: [\n", nil, "config: yaml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), env(tc.env))
			if err == nil {
				t.Fatalf("Parse succeeded, want error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	data, err := os.ReadFile("../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data, env(map[string]string{"XIYUE_IMAP_PASSWORD": "a", "HOMEGOODS_IMAP_PASSWORD": "b"}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Brands) != 2 || c.Brands[1].Policy.Rights["deletion"] != "7bd" {
		t.Errorf("brands = %+v", c.Brands)
	}
}

func TestCalendarErrorsNameTheKey(t *testing.T) {
	y := "calendar: {timezone: Mars/Olympus, hours: {mon: \"18:00-09:00\"}, holidays: [2026-13-01]}\n" + minimal +
		"    calendar: {timezone: UTC+25:00}\n"
	_, err := Parse([]byte(y), env(map[string]string{"PW": "x"}))
	if err == nil {
		t.Fatal("bad calendars accepted")
	}
	for _, want := range []string{"calendar.timezone", "calendar.hours.mon", "calendar.holidays[0]"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	_, err = Parse([]byte(minimal+"    calendar: {timezone: UTC+25:00}\n"), env(map[string]string{"PW": "x"}))
	if err == nil || !strings.Contains(err.Error(), "brands[0].calendar.timezone") {
		t.Errorf("bad brand calendar: error %v, want it to name brands[0].calendar.timezone", err)
	}
}
