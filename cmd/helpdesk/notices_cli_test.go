package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"helpdesk/mailbox/imaptest"
	"helpdesk/mailbox/smtptest"
	"helpdesk/tickets"
)

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	must(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func TestCustomersImportReportsBadRows(t *testing.T) {
	imap := imaptest.StartMemServer(t)
	smtp := smtptest.Start(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, imap, smtp)
	csv := writeFile(t, dir, "customers.csv", strings.Join([]string{
		"email,name,language,brand",
		"ann@example.com,Ann,en,xiyue",
		"not-an-address,Bob,en,xiyue",
		"cat@example.com,Cat,zh-CN,xiyue",
		"ANN@example.com,Ann Again,en,xiyue",
		"dan@example.com,Dan,en,nosuchbrand",
		"eve@example.com,Eve,12,xiyue",
		`"fay@example.com",Fay "F" Smith,en,xiyue`,
		"gus@example.com,,,xiyue",
		"",
	}, "\n"))
	out, errs, code := runCLI(t, "", "customers", "import", csv, "--config", cfg)
	if code == 0 {
		t.Fatalf("import with bad rows exited 0\n%s", errs)
	}
	for _, want := range []string{
		"customers.csv:3: bad row: email \"not-an-address\"",
		"customers.csv:5: skipped: duplicate of line 2",
		"customers.csv:6: bad row: brand \"nosuchbrand\" is not configured",
		"customers.csv:7: bad row: language \"12\"",
		"customers.csv:8: bad row: malformed CSV",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "3 created") {
		t.Errorf("stdout = %q, want 3 created (ann, cat, gus)", out)
	}
	// Importing again fills empty fields only and reports nothing bad.
	csv2 := writeFile(t, dir, "more.csv", "brand,email,language,name\nxiyue,gus@example.com,de,Gus\nxiyue,ann@example.com,fr,Other\n")
	out, errs, code = runCLI(t, "", "customers", "import", csv2, "--config", cfg, "--json")
	if code != 0 {
		t.Fatalf("clean import exited %d: %s", code, errs)
	}
	var res tickets.ImportResult
	must(t, json.Unmarshal([]byte(out), &res))
	if res.Created != 0 || res.Updated != 1 || res.Existing != 1 {
		t.Errorf("second import = %+v, want gus updated, ann unchanged", res)
	}
}

func TestNoticesCLI(t *testing.T) {
	imap := imaptest.StartMemServer(t)
	smtp := smtptest.Start(t)
	dir := t.TempDir()
	cfg := writeConfig(t, dir, imap, smtp)
	csv := writeFile(t, dir, "c.csv", "email,name,language,brand\nann@example.com,Ann,en,xiyue\nbo@example.com,Bo,zh,xiyue\n")
	if _, errs, code := runCLI(t, "", "customers", "import", csv, "--config", cfg); code != 0 {
		t.Fatal(errs)
	}
	body := writeFile(t, dir, "body.md", "We will **share** your address with couriers. See [the policy](https://xiyue.example/privacy).\n")
	zh := writeFile(t, dir, "zh.md", "# 隐私政策更新\n我们将与快递公司共享您的地址。\n")
	soon := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	_, errs, code := runCLI(t, "", "notices", "create", "--brand", "xiyue", "--title", "Policy update", "--body-file", body,
		"--effective", soon, "--config", cfg)
	if code == 0 || !strings.Contains(errs, "earliest allowed date is") {
		t.Fatalf("too-soon notice: code %d, %s", code, errs)
	}
	eff := time.Now().AddDate(0, 0, 32).Format(time.DateOnly)
	out, errs, code := runCLI(t, "", "notices", "create", "--brand", "xiyue", "--title", "Policy update", "--body-file", body,
		"--effective", eff, "--translation", "zh="+zh, "--core-rights", "--json", "--config", cfg)
	if code != 0 {
		t.Fatalf("create: %s", errs)
	}
	var created struct{ ID int64 }
	if err := json.Unmarshal([]byte(out), &created); err != nil || created.ID == 0 {
		t.Fatalf("create --json printed %q", out)
	}
	id := fmt.Sprint(created.ID)
	out, errs, code = runCLI(t, "", "notices", "preview", id, "--to", "bo@example.com", "--config", cfg)
	if code != 0 || !strings.Contains(out, "隐私政策更新") || !strings.Contains(out, "快递公司") {
		t.Errorf("preview for a zh customer: %d %s %s", code, out, errs)
	}
	out, _, _ = runCLI(t, "", "notices", "preview", id, "--to", "ann@example.com", "--html", "--config", cfg)
	if !strings.Contains(out, `<strong>share</strong>`) || !strings.Contains(out, `<a href="https://xiyue.example/privacy">`) {
		t.Errorf("preview html: %s", out)
	}
	if out, errs, code = runCLI(t, "", "notices", "send", id, "--config", cfg); code != 0 || !strings.Contains(out, "2 recipients") {
		t.Fatalf("send: %d %s %s", code, out, errs)
	}
	if _, errs, code := runCLI(t, "", "poll", "--once", "--config", cfg); code != 0 {
		t.Fatalf("poll: %s", errs)
	}
	out, errs, code = runCLI(t, "", "notices", "status", id, "--follow", "--json", "--config", cfg)
	var p tickets.NoticeProgress
	if code != 0 || json.Unmarshal([]byte(out), &p) != nil || p.Status != "done" || p.Counts["sent"] != 2 {
		t.Errorf("status: %d %q %s", code, out, errs)
	}
	if !strings.Contains(errs, "100.0%") {
		t.Errorf("--follow drew no progress line: %q", errs)
	}
	out, _, _ = runCLI(t, "", "notices", "list", "--json", "--config", cfg)
	if !strings.Contains(out, `"status": "done"`) {
		t.Errorf("list: %s", out)
	}
	if _, errs, code := runCLI(t, "", "notices", "pause", id, "--config", cfg); code == 0 {
		t.Errorf("pausing a finished notice exited 0: %s", errs)
	}
}

// TestSIGKILLDuringNoticeSend kills the daemon in the middle of a
// 10,000-recipient notice, restarts it, and counts at the server: every
// recipient once, except at most one duplicate per worker (the message it
// had in flight), and nobody skipped.
func TestSIGKILLDuringNoticeSend(t *testing.T) {
	bin := buildBinary(t)
	imap := imaptest.StartMemServer(t)
	smtp := smtptest.Start(t)
	smtp.SetDelay(200 * time.Microsecond)
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, imap, smtp)
	const n = 10000
	var csv strings.Builder
	csv.WriteString("email,name,language,brand\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&csv, "k%05d@example%d.com,Kim %d,en,xiyue\n", i, i%13, i)
	}
	csvPath := writeFile(t, dir, "big.csv", csv.String())
	body := writeFile(t, dir, "body.md", "Our privacy policy changes.\n")
	run := func(args ...string) string {
		out, err := exec.Command(bin, append(args, "--config", cfgPath)...).Output()
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		return string(out)
	}
	run("customers", "import", csvPath)
	out := run("notices", "create", "--brand", "xiyue", "--title", "Update", "--body-file", body,
		"--effective", time.Now().AddDate(0, 0, 40).Format(time.DateOnly), "--json")
	var created struct{ ID int64 }
	must(t, json.Unmarshal([]byte(out), &created))
	run("notices", "send", fmt.Sprint(created.ID))

	var logs bytes.Buffer
	serve := exec.Command(bin, "serve", "--config", cfgPath)
	serve.Stderr = &logs
	must(t, serve.Start())
	deadline := time.Now().Add(60 * time.Second)
	for smtp.Count() < 2000 {
		if time.Now().After(deadline) {
			serve.Process.Kill()
			t.Fatalf("no progress before the kill\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	must(t, serve.Process.Signal(syscall.SIGKILL))
	serve.Wait()
	atKill := smtp.Count()
	t.Logf("killed after %d of %d deliveries", atKill, n)
	if atKill >= n {
		t.Fatal("the send finished before the kill; nothing was tested")
	}

	// Restart: the daemon again, stopped cleanly once the notice is done.
	serve = exec.Command(bin, "serve", "--config", cfgPath)
	serve.Stderr = &logs
	must(t, serve.Start())
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	status := exec.CommandContext(ctx, bin, "notices", "status", fmt.Sprint(created.ID), "--follow", "--json", "--interval", "200ms", "--config", cfgPath)
	out2, err := status.Output()
	serve.Process.Signal(syscall.SIGTERM)
	serve.Wait()
	if err != nil {
		t.Fatalf("status --follow: %v\n%s", err, logs.String())
	}
	var p tickets.NoticeProgress
	must(t, json.Unmarshal(out2, &p))
	per := map[string]int{}
	for _, r := range smtp.Messages() {
		per[r.To[0]]++
	}
	dups := 0
	for _, c := range per {
		dups += c - 1
	}
	t.Logf("%d recipients reached, %d duplicates; final status %s %v", len(per), dups, p.Status, p.Counts)
	if len(per) != n {
		t.Errorf("%d of %d recipients reached: someone was skipped", len(per), n)
	}
	if dups > 4 {
		t.Errorf("%d duplicates; at most one per worker (4) may be in flight at a kill", dups)
	}
	if p.Status != "done" || p.Counts["sent"] != n {
		t.Errorf("final status %s, %v", p.Status, p.Counts)
	}
}
