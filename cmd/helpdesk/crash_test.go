package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
	"helpdesk/mailbox/imaptest"
	"helpdesk/mailbox/smtptest"
	"helpdesk/tickets"
)

// buildBinary compiles the helpdesk binary once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("binary crash tests skipped in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "helpdesk")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building helpdesk: %v\n%s", err, out)
	}
	return bin
}

func writeConfig(t testing.TB, dir string, imap *imaptest.Server, smtp *smtptest.Server) string {
	t.Helper()
	cfg := fmt.Sprintf(`database: {driver: sqlite, dsn: %s}
data_dir: %s
log: {level: info, format: json}
outbox: {workers: 4, auto_per_hour: 0, auto_per_day: 0}
ingest: {batch_size: 100}
brands:
  - id: xiyue
    name: Xiyue Technology
    address: support@xiyue.example
    ticket_prefix: XY
    language: en
    imap: {host: %s, port: %d, security: none, username: %s, password: "%s", folder: "%s", idle: true, poll_interval: 1s}
    smtp: {host: %s, port: %d, security: none, auth: none}
`, filepath.Join(dir, "helpdesk.db"), filepath.Join(dir, "data"), imap.Host, imap.Port, imap.Username, imap.Password,
		imap.Folder, smtp.Host, smtp.Port)
	path := filepath.Join(dir, "helpdesk.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func countIn(t *testing.T, dsn string) (messages, tickets_ int64) {
	t.Helper()
	st, err := tickets.OpenStore(context.Background(), tickets.StoreOptions{Driver: "sqlite", DSN: dsn})
	if err != nil {
		return 0, 0
	}
	defer st.Close()
	st.DB().Table("messages").Where("direction = 'in'").Count(&messages)
	st.DB().Table("tickets").Count(&tickets_)
	return messages, tickets_
}

// TestSIGKILLDuringIngestLosesAndDoublesNothing runs the real binary,
// kills it with SIGKILL in the middle of a large ingest (and of sending the
// acknowledgements), restarts it, and counts: every message stored once,
// one ticket each, and every acknowledgement delivered, with at most one
// duplicate per outbox worker that had a send in flight.
func TestSIGKILLDuringIngestLosesAndDoublesNothing(t *testing.T) {
	bin := buildBinary(t)
	servers := map[string]func(testing.TB) *imaptest.Server{
		"memserver": imaptest.StartMemServer,
		"dovecot":   imaptest.Dovecot,
	}
	for _, name := range []string{"memserver", "dovecot"} {
		t.Run(name, func(t *testing.T) {
			imap := servers[name](t)
			n := 3000
			if name == "dovecot" {
				n = 2000 // appending to Dovecot is slower
			}
			var raws [][]byte
			for i := 0; i < n; i++ {
				raws = append(raws, testmail.Message(i, 0, testmail.Options{}))
			}
			imap.Append(context.Background(), t, imap.Folder, raws...)
			smtp := smtptest.Start(t)
			smtp.SetDelay(2 * time.Millisecond)
			dir := t.TempDir()
			cfgPath := writeConfig(t, dir, imap, smtp)
			dsn := filepath.Join(dir, "helpdesk.db")

			var logs bytes.Buffer
			serve := exec.Command(bin, "serve", "--config", cfgPath)
			serve.Stderr = &logs
			if err := serve.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(60 * time.Second)
			for {
				if m, _ := countIn(t, dsn); m >= 100 {
					break
				}
				if time.Now().After(deadline) {
					serve.Process.Kill()
					t.Fatalf("no progress before the kill\n%s", logs.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			if err := serve.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			serve.Wait()
			atKill, _ := countIn(t, dsn)
			t.Logf("killed with %d of %d messages stored, %d acknowledgements delivered", atKill, n, smtp.Count())
			if atKill >= int64(n) {
				t.Logf("warning: the kill came after the ingest finished; only the outbox was interrupted")
			}

			poll := exec.Command(bin, "poll", "--once", "--config", cfgPath)
			if out, err := poll.CombinedOutput(); err != nil {
				t.Fatalf("poll --once after the kill: %v\n%s", err, out)
			}
			msgs, tks := countIn(t, dsn)
			if msgs != int64(n) || tks != int64(n) {
				t.Fatalf("after restart: %d messages and %d tickets, want %d of each", msgs, tks, n)
			}
			byID := map[string]int{}
			for _, r := range smtp.Messages() {
				m := mailbox.Parse(r.Data, mailbox.ParseOptions{})
				byID[m.MessageID]++
			}
			dups := 0
			for _, c := range byID {
				dups += c - 1
			}
			if len(byID) != n {
				t.Errorf("%d distinct acknowledgements delivered, want %d", len(byID), n)
			}
			if dups > 4 {
				t.Errorf("%d duplicate acknowledgements; at most one per worker (4) may be in flight at a kill", dups)
			}
			t.Logf("%d acknowledgements, %d duplicates", len(byID), dups)
		})
	}
}

// TestCleanShutdownSendsNothingTwice stops the daemon with SIGTERM while
// it sends and restarts it: no acknowledgement may arrive twice.
func TestCleanShutdownSendsNothingTwice(t *testing.T) {
	bin := buildBinary(t)
	imap := imaptest.StartMemServer(t)
	const n = 300
	var raws [][]byte
	for i := 0; i < n; i++ {
		raws = append(raws, testmail.Message(i, 2000, testmail.Options{}))
	}
	imap.Append(context.Background(), t, imap.Folder, raws...)
	smtp := smtptest.Start(t)
	smtp.SetDelay(5 * time.Millisecond)
	dir := t.TempDir()
	cfgPath := writeConfig(t, dir, imap, smtp)
	var logs bytes.Buffer
	serve := exec.Command(bin, "serve", "--config", cfgPath)
	serve.Stderr = &logs
	must(t, serve.Start())
	deadline := time.Now().Add(60 * time.Second)
	for smtp.Count() < 20 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	must(t, serve.Process.Signal(syscall.SIGTERM))
	if err := serve.Wait(); err != nil {
		t.Fatalf("serve exited with %v after SIGTERM\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "stopped") {
		t.Errorf("no orderly stop in the log:\n%s", logs.String())
	}
	out, err := exec.Command(bin, "poll", "--once", "--config", cfgPath).CombinedOutput()
	if err != nil {
		t.Fatalf("poll --once: %v\n%s", err, out)
	}
	byID := map[string]int{}
	for _, r := range smtp.Messages() {
		byID[mailbox.Parse(r.Data, mailbox.ParseOptions{}).MessageID]++
	}
	for id, c := range byID {
		if c > 1 {
			t.Errorf("%s delivered %d times after a clean restart", id, c)
		}
	}
	if len(byID) != n {
		t.Errorf("%d acknowledgements delivered, want %d", len(byID), n)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
