package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox/imaptest"
	"helpdesk/mailbox/smtptest"
)

// TestCustomersPrivacyCommands drives show, consent, update, export,
// audit list, retention run and erase through the CLI.
func TestCustomersPrivacyCommands(t *testing.T) {
	imap := imaptest.StartMemServer(t)
	smtp := smtptest.Start(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, imap, smtp)
	imap.Append(context.Background(), t, imap.Folder,
		testmail.Message(1, 0, testmail.Options{From: "ann@example.com", Subject: "Bracelet tarnish", MessageID: "ann-1@example.com"}))
	if _, errs, code := runCLI(t, "", "poll", "--once", "--config", cfg); code != 0 {
		t.Fatalf("poll: %s", errs)
	}
	out, errs, code := runCLI(t, "", "customers", "consent", "ann@example.com", "--marketing", "off", "--json", "--agent", "agent1", "--config", cfg)
	var vs []struct {
		Email   string          `json:"email"`
		Phone   string          `json:"phone"`
		Consent map[string]bool `json:"consent"`
		Tickets []string        `json:"tickets"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &vs) != nil || len(vs) != 1 || vs[0].Consent["marketing"] || !vs[0].Consent["notices"] {
		t.Fatalf("consent: %d %s %s", code, out, errs)
	}
	if _, _, code := runCLI(t, "", "customers", "consent", "ann@example.com", "--marketing", "maybe", "--config", cfg); code != 2 {
		t.Errorf("bad on/off: exit %d, want 2", code)
	}
	out, errs, code = runCLI(t, "", "customers", "update", "ann@example.com", "--phone", "+86 138 0000 1111", "--json", "--config", cfg)
	if code != 0 || !strings.Contains(out, `"phone"`) {
		t.Fatalf("update: %d %s %s", code, out, errs)
	}
	out, _, code = runCLI(t, "", "customers", "show", "ann@example.com", "--json", "--config", cfg)
	if code != 0 || json.Unmarshal([]byte(out), &vs) != nil || vs[0].Phone != "+86 138 0000 1111" || len(vs[0].Tickets) != 1 {
		t.Fatalf("show: %d %s", code, out)
	}
	zipPath := filepath.Join(t.TempDir(), "ann.zip")
	if _, errs, code := runCLI(t, "", "customers", "export", "ann@example.com", "--out", zipPath, "--config", cfg); code != 0 {
		t.Fatalf("export: %s", errs)
	}
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	zr.Close()
	if !names["index.json"] || len(names) < 3 {
		t.Errorf("zip holds %v", names)
	}
	if info, _ := os.Stat(zipPath); info.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v", info.Mode().Perm())
	}
	out, _, code = runCLI(t, "", "audit", "list", "--customer", "ann@example.com", "--json", "--config", cfg)
	var es []struct{ Action, Actor, Detail string }
	if code != 0 || json.Unmarshal([]byte(out), &es) != nil || len(es) != 3 {
		t.Fatalf("audit list: %d %s", code, out)
	}
	if es[0].Action != "consent.change" || es[0].Actor != "agent1" || es[1].Action != "customer.update" || es[2].Action != "customer.export" {
		t.Errorf("audit = %+v", es)
	}
	if strings.Contains(out, "ann@") || strings.Contains(out, "0000 1111") {
		t.Error("audit output holds personal data")
	}
	out, _, code = runCLI(t, "", "retention", "run", "--dry-run", "--json", "--config", cfg)
	if code != 0 || !strings.Contains(out, `"dry_run": true`) || !strings.Contains(out, `"brand": "xiyue"`) {
		t.Errorf("retention dry run: %d %s", code, out)
	}
	out, errs, code = runCLI(t, "", "customers", "erase", "ann@example.com", "--json", "--config", cfg)
	if code != 0 || !strings.Contains(out, `"tickets": 1`) {
		t.Fatalf("erase: %d %s %s", code, out, errs)
	}
	if _, _, code := runCLI(t, "", "customers", "show", "ann@example.com", "--config", cfg); code == 0 {
		t.Error("show after erase exited 0")
	}
	out, _, _ = runCLI(t, "", "audit", "list", "--customer", "ann@example.com", "--config", cfg)
	if !strings.Contains(out, "customer.erase") {
		t.Errorf("audit after erase:\n%s", out)
	}
	for _, f := range []string{"helpdesk.db", "helpdesk.db-wal", "helpdesk.db-shm"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		if bytes.Contains(bytes.ToLower(b), []byte("ann@example.com")) {
			t.Errorf("%s still holds the address", f)
		}
	}
}
