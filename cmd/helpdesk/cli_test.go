package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
	"helpdesk/mailbox/imaptest"
	"helpdesk/mailbox/smtptest"
)

// runCLI runs the CLI in-process and returns stdout, stderr and the exit
// code.
func runCLI(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader(stdin),
		getenv: func(string) string { return "" }}
	code := run(context.Background(), env, args)
	return out.String(), errb.String(), code
}

func TestCLIContracts(t *testing.T) {
	imap := imaptest.StartMemServer(t)
	smtp := smtptest.Start(t)
	cfg := writeConfig(t, t.TempDir(), imap, smtp)

	out, errs, code := runCLI(t, "", "tickets", "list", "--json", "--config", cfg)
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("empty list: code %d, stdout %q, stderr %s", code, out, errs)
	}
	if _, _, code := runCLI(t, "", "tickets", "show", "XY-9999", "--config", cfg); code == 0 {
		t.Error("show of a missing ticket exited 0")
	}
	if _, errs, code := runCLI(t, "", "tickets", "frobnicate"); code != 2 || !strings.Contains(errs, "unknown subcommand") {
		t.Errorf("bad subcommand: code %d, %s", code, errs)
	}
	if out, _, code := runCLI(t, "", "config", "check", "--config", cfg); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("config check: %d %s", code, out)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, []byte("brands: [{id: X}]\nfoo: 1\n"), 0o600)
	if _, errs, code := runCLI(t, "", "config", "check", "--config", bad); code == 0 || !strings.Contains(errs, "foo: unknown key") {
		t.Errorf("bad config: code %d, %s", code, errs)
	}

	imap.Append(context.Background(), t, imap.Folder,
		testmail.Message(1, 0, testmail.Options{From: "ann@example.com", Subject: "Re: Fwd: 戒指尺寸 ring size", MessageID: "ann-1@example.com"}))
	if _, errs, code := runCLI(t, "", "poll", "--once", "--config", cfg); code != 0 {
		t.Fatalf("poll --once: %d\n%s", code, errs)
	}
	out, _, _ = runCLI(t, "", "tickets", "list", "--json", "--config", cfg)
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 {
		t.Fatalf("list: %v %s", err, out)
	}
	for _, k := range []string{"ref", "brand", "subject", "customer", "category", "rights_type", "status", "automated",
		"created_at", "first_response_due", "resolution_due", "breached"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("tickets list --json lacks %q", k)
		}
	}
	if list[0]["subject"] != "Re: Fwd: 戒指尺寸 ring size" || list[0]["customer"] != "ann@example.com" {
		t.Errorf("ticket = %v", list[0])
	}
	ref := list[0]["ref"].(string)

	body := filepath.Join(t.TempDir(), "reply.txt")
	os.WriteFile(body, []byte("Size 12 is in stock.\n"), 0o600)
	if _, errs, code := runCLI(t, "", "tickets", "reply", ref, "--body-file", body, "--status", "pending", "--config", cfg); code != 0 {
		t.Fatalf("reply: %s", errs)
	}
	if _, errs, code := runCLI(t, "", "poll", "--once", "--config", cfg); code != 0 {
		t.Fatalf("poll: %s", errs)
	}
	out, _, _ = runCLI(t, "", "tickets", "show", ref, "--json", "--config", cfg)
	var show struct {
		Status   string `json:"status"`
		Messages []struct {
			Direction, MessageID, From, Subject, Text string
			To                                        []string
		} `json:"messages"`
	}
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatal(err)
	}
	if show.Status != "pending" || len(show.Messages) != 3 {
		t.Fatalf("show: status %s, %d messages (want pending, 3: mail, ack, reply)", show.Status, len(show.Messages))
	}
	dirs := show.Messages[0].Direction + show.Messages[1].Direction + show.Messages[2].Direction
	if dirs != "inoutout" {
		t.Errorf("directions = %s", dirs)
	}
	for _, m := range show.Messages[1:] {
		if !strings.Contains(m.Subject, "["+ref+"]") || m.To[0] != "ann@example.com" {
			t.Errorf("our mail %q to %v lacks the tag or the customer", m.Subject, m.To)
		}
	}
	if got := smtp.Count(); got != 2 {
		t.Errorf("SMTP server got %d mails, want ack + reply", got)
	}

	out, _, code = runCLI(t, "", "tickets", "set", ref, "--category", "rights", "--rights-type", "deletion", "--json", "--config", cfg)
	if code != 0 || !strings.Contains(out, `"rights_type": "deletion"`) {
		t.Errorf("set: %d %s", code, out)
	}
	out, _, code = runCLI(t, "", "sla", "due", "--from", "2026-11-20T17:00:00+08:00", "--target", "2bh", "--config", cfg)
	if code != 0 || strings.TrimSpace(out) != "2026-11-23T10:00:00+08:00" {
		t.Errorf("sla due: %d %q", code, out)
	}
	out, _, code = runCLI(t, "", "templates", "preview", "ack.rights.deletion", "--ticket", ref, "--lang", "zh", "--config", cfg)
	if code != 0 || !strings.Contains(out, "["+ref+"]") {
		t.Errorf("templates preview: %d %s", code, out)
	}
}

func TestClassifyWithoutConfig(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.eml")
	os.WriteFile(a, testmail.Message(1, 0, testmail.Options{Subject: "Please delete my personal data", Body: "Hello, please delete my account and all personal data you hold about me."}), 0o600)
	b := filepath.Join(dir, "b.eml")
	os.WriteFile(b, testmail.Message(2, 0, testmail.Options{Subject: "Automatic reply: away", Extra: "Auto-Submitted: auto-replied\r\n"}), 0o600)
	t.Chdir(dir)
	out, errs, code := runCLI(t, "", "classify", a, b)
	if code != 0 {
		t.Fatalf("classify: %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 JSON lines, got %q", out)
	}
	var r1, r2 map[string]any
	json.Unmarshal([]byte(lines[0]), &r1)
	json.Unmarshal([]byte(lines[1]), &r2)
	if r1["category"] != "rights" || r1["rights_type"] != "deletion" || r1["file"] != a {
		t.Errorf("a.eml = %v", r1)
	}
	if r2["automated"] != true || r2["category"] != "other" || r2["rights_type"] != nil {
		t.Errorf("b.eml = %v", r2)
	}
	out, _, code = runCLI(t, string(testmail.Message(3, 0, testmail.Options{Subject: "Where is my parcel? tracking"})), "classify")
	if code != 0 || !strings.Contains(out, `"file":"-"`) {
		t.Errorf("stdin: %d %s", code, out)
	}
}

// TestEndToEndThreadingWithDovecot: customer mail in, acknowledgement
// out threaded; the customer answers the acknowledgement and lands on the
// same ticket; an agent's reply goes out threaded.
func TestEndToEndThreadingWithDovecot(t *testing.T) {
	imap := imaptest.Dovecot(t)
	smtp := smtptest.Start(t)
	cfg := writeConfig(t, t.TempDir(), imap, smtp)
	ctx := context.Background()
	imap.Append(ctx, t, imap.Folder, testmail.Message(1, 0, testmail.Options{From: "ann@example.com", MessageID: "q1@example.com", Subject: "Bracelet tarnish"}))
	if _, errs, code := runCLI(t, "", "poll", "--once", "--config", cfg); code != 0 {
		t.Fatal(errs)
	}
	acks := smtp.Messages()
	if len(acks) != 1 {
		t.Fatalf("%d mails sent, want the acknowledgement", len(acks))
	}
	ack := mailbox.Parse(acks[0].Data, mailbox.ParseOptions{})
	if len(ack.InReplyTo) != 1 || ack.InReplyTo[0] != "q1@example.com" || !strings.Contains(ack.Subject, "[XY-1001]") {
		t.Fatalf("ack threading: In-Reply-To %v, subject %q", ack.InReplyTo, ack.Subject)
	}
	if got := ack.Header["Auto-Submitted"]; len(got) != 1 || got[0] != "auto-replied" {
		t.Errorf("ack Auto-Submitted = %v", got)
	}
	// The customer answers the acknowledgement, with a subject of her own.
	imap.Append(ctx, t, imap.Folder, testmail.Message(2, 0, testmail.Options{From: "ann@example.com", InReplyTo: ack.MessageID, Subject: "photos"}))
	if _, errs, code := runCLI(t, "", "poll", "--once", "--config", cfg); code != 0 {
		t.Fatal(errs)
	}
	out, _, _ := runCLI(t, "", "tickets", "list", "--json", "--config", cfg)
	if strings.Count(out, `"ref"`) != 1 {
		t.Fatalf("the answer to the acknowledgement opened another ticket:\n%s", out)
	}
	body := filepath.Join(t.TempDir(), "r.txt")
	os.WriteFile(body, []byte("Please send it back, we will polish it."), 0o600)
	if _, errs, code := runCLI(t, "", "tickets", "reply", "XY-1001", "--body-file", body, "--config", cfg); code != 0 {
		t.Fatal(errs)
	}
	runCLI(t, "", "poll", "--once", "--config", cfg)
	sent := smtp.Messages()
	if len(sent) != 2 {
		t.Fatalf("%d mails sent, want ack + agent reply", len(sent))
	}
	reply := mailbox.Parse(sent[1].Data, mailbox.ParseOptions{})
	if len(reply.InReplyTo) != 1 || reply.InReplyTo[0] == "" || reply.InReplyTo[0] == ack.MessageID {
		t.Errorf("agent reply In-Reply-To = %v, want the customer's latest mail", reply.InReplyTo)
	}
	if len(reply.References) < 3 || reply.References[0] != "q1@example.com" {
		t.Errorf("agent reply References = %v, want the whole thread from q1", reply.References)
	}
	if _, ok := reply.Header["Auto-Submitted"]; ok {
		t.Error("a person's reply carries Auto-Submitted")
	}
}

// A broken template fails `config check` (and start-up), naming the file,
// never at send time.
func TestConfigCheckRejectsBrokenTemplate(t *testing.T) {
	imap := imaptest.StartMemServer(t)
	smtp := smtptest.Start(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, imap, smtp)
	tdir := filepath.Join(dir, "templates")
	os.MkdirAll(tdir, 0o700)
	os.WriteFile(filepath.Join(tdir, "ack.product.en.txt"), []byte("{{define \"subject\"}}Hi{{end}}\nDear {{.NoSuchField}}\n"), 0o600)
	raw, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(raw), "    language: en\n", "    language: en\n    templates: "+tdir+"\n", 1)), 0o600)
	_, errs, code := runCLI(t, "", "config", "check", "--config", cfg)
	if code == 0 || !strings.Contains(errs, "ack.product.en.txt") {
		t.Fatalf("config check with a broken template: exit %d, %s", code, errs)
	}
	if _, errs, code := runCLI(t, "", "poll", "--once", "--config", cfg); code == 0 || !strings.Contains(errs, "ack.product.en.txt") {
		t.Errorf("start-up with a broken template: exit %d, %s", code, errs)
	}
}
