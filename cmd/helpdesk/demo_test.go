package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/smtp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"

	"helpdesk/mailbox"
)

// demoCLI runs the CLI in-process under ctx.
func demoCLI(ctx context.Context, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	env := &cliEnv{stdout: &out, stderr: &errb, stdin: strings.NewReader(""), getenv: func(string) string { return "" }}
	code = run(ctx, env, args)
	return out.String(), errb.String(), code
}

// section returns the count in a "Title (N)" line of out and the lines
// after it up to the next blank line.
func section(t *testing.T, out, title string) (int, []string) {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(title) + `[^\n]*\((\d+)\)\n((?:.+\n)*)`)
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %q section in the summary:\n%s", title, out)
	}
	n, _ := strconv.Atoi(m[1])
	return n, strings.Split(strings.TrimRight(m[2], "\n"), "\n")
}

type demoTicket struct {
	Ref        string  `json:"ref"`
	Brand      string  `json:"brand"`
	Customer   string  `json:"customer"`
	Category   string  `json:"category"`
	RightsType *string `json:"rights_type"`
	Language   string  `json:"language"`
	Status     string  `json:"status"`
	FirstDue   *string `json:"first_response_due"`
	ResDue     *string `json:"resolution_due"`
	Messages   []struct {
		Direction   string `json:"direction"`
		From        string `json:"from"`
		Attachments []struct {
			Filename string `json:"filename"`
		} `json:"attachments"`
	} `json:"messages"`
}

func (d demoTicket) category() string {
	if d.RightsType != nil {
		return d.Category + "/" + *d.RightsType
	}
	return d.Category
}

// TestDemoOnce runs `helpdesk demo --once --keep` end to end, then reads
// the kept database with the commands the demo suggests.
func TestDemoOnce(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // the kept demo directory goes here and is cleaned up
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, errs, code := demoCLI(ctx, "demo", "--once", "--keep", "--config", "ignored.yaml")
	if code != 0 {
		t.Fatalf("demo --once exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if strings.Contains(errs, "level=ERROR") {
		t.Errorf("the daemon logged errors:\n%s", errs)
	}

	samples := demoMails(time.Now())
	var people, automated []demoMail
	for _, m := range samples {
		if m.Automated {
			automated = append(automated, m)
		} else {
			people = append(people, m)
		}
	}
	// Every mail a person wrote opens a ticket, except the follow-up,
	// which joins the ticket of the mail it answers.
	wantTickets := len(people)

	n, rows := section(t, out, "Tickets")
	if n != wantTickets || len(rows) != wantTickets+1 { // + the header row
		t.Errorf("summary lists %d tickets in %d rows, want %d", n, len(rows)-1, wantTickets)
	}
	if !strings.Contains(rows[0], " STATUS ") {
		t.Errorf("tickets table has no STATUS column: %q", rows[0])
	}
	// The table is the state before anyone verified: tickets awaiting
	// verification have no deadlines yet, the others are open with both.
	rowFields := map[string][]string{}
	awaiting := map[string]bool{}
	due := regexp.MustCompile(`(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{2}:\d{2} \(UTC\+8\)`)
	for _, r := range rows[1:] {
		f := strings.Fields(r)
		rowFields[f[0]] = f
		switch {
		case len(f) > 7 && f[5] == "awaiting" && f[6] == "verification":
			awaiting[f[0]] = true
			if len(due.FindAllString(r, -1)) != 0 || f[7] != "-" || f[8] != "-" {
				t.Errorf("ticket awaiting verification with a deadline: %q", r)
			}
		case len(f) > 5 && f[5] == "open":
			if len(due.FindAllString(r, -1)) != 2 {
				t.Errorf("open ticket row without both deadlines in the shop's zone: %q", r)
			}
		default:
			t.Errorf("ticket row neither open nor awaiting verification: %q", r)
		}
	}
	if !strings.Contains(out, "answered the acknowledgement (In-Reply-To: its Message-ID) and joined HG-") {
		t.Errorf("summary does not report the follow-up threaded onto its ticket:\n%s", out)
	}

	nAuto, autoRows := section(t, out, "Automated mail")
	if nAuto != len(automated) {
		t.Errorf("summary lists %d automated mails, want %d", nAuto, len(automated))
	}
	for _, m := range automated {
		found := false
		for _, r := range autoRows {
			found = found || (strings.Contains(r, m.From) && strings.Contains(r, "no ticket"))
		}
		if !found {
			t.Errorf("automated mail from %s is not listed as opening no ticket", m.From)
		}
	}

	nAck, ackRows := section(t, out, "Acknowledgements received by the SMTP server")
	if nAck != wantTickets-len(awaiting) {
		t.Errorf("SMTP server received %d acknowledgements, want one per ticket not awaiting verification (%d)", nAck, wantTickets-len(awaiting))
	}
	nVer, verRows := section(t, out, "Identity verification requested")
	if nVer != len(awaiting) {
		t.Errorf("SMTP server received %d verification mails, want one per ticket awaiting verification (%d)", nVer, len(awaiting))
	}
	// Each verification mail: "REF -> customer: subject", its code, its link.
	codeLine := regexp.MustCompile(`^      \| code \d{8}$`)
	linkLine := regexp.MustCompile(`^      \| link http://127\.0\.0\.1:\d+/verify/[A-Za-z0-9_-]{43}$`)
	verMail := map[string]string{} // ref -> its "REF -> customer" prefix
	for i, r := range verRows {
		ref, rest, ok := strings.Cut(strings.TrimSpace(r), " -> ")
		if !ok || !awaiting[ref] {
			continue
		}
		verMail[ref] = ref + " -> " + strings.SplitN(rest, ":", 2)[0]
		if i+2 >= len(verRows) || !codeLine.MatchString(verRows[i+1]) || !linkLine.MatchString(verRows[i+2]) {
			t.Errorf("verification mail of %s is not followed by its code and link:\n%s", ref, strings.Join(verRows, "\n"))
		}
	}
	if len(verMail) != len(awaiting) {
		t.Errorf("verification mails for %v, want one for each of %v", verMail, awaiting)
	}

	// Two customers verify, one by the link and one by replying with the
	// code; each ticket then opens with both deadlines and is acknowledged.
	nVerified, verifiedRows := section(t, out, "Verified as the customer would")
	if want := min(2, len(awaiting)); nVerified != want {
		t.Errorf("summary lists %d verified tickets, want %d", nVerified, want)
	}
	verified := map[string]string{} // ref -> how
	for i, r := range verifiedRows {
		if !strings.HasPrefix(r, "  ") || strings.HasPrefix(r, "      ") {
			continue
		}
		f := strings.Fields(r)
		ref := f[0]
		if !awaiting[ref] {
			t.Errorf("verified %s, which was not awaiting verification", ref)
			continue
		}
		switch {
		case strings.Contains(r, "opened the link and pressed Confirm (POST, HTTP 200)"):
			verified[ref] = "link"
		case strings.Contains(r, "replied to the verification mail with the code"):
			verified[ref] = "mail"
		default:
			t.Errorf("verified row says neither link nor code: %q", r)
		}
		if i+2 >= len(verifiedRows) || !strings.HasPrefix(verifiedRows[i+1], "      now open, first response due ") ||
			len(due.FindAllString(verifiedRows[i+1], -1)) != 2 ||
			!strings.HasPrefix(verifiedRows[i+2], "      acknowledgement sent -> "+f[1]+": ["+ref+"] ") {
			t.Errorf("verified %s is not shown open with both deadlines and acknowledged:\n%s", ref, strings.Join(verifiedRows, "\n"))
		}
	}
	if len(verified) != nVerified || (len(awaiting) >= 2 && (!slices.Contains(slices.Collect(maps.Values(verified)), "link") ||
		!slices.Contains(slices.Collect(maps.Values(verified)), "mail"))) {
		t.Errorf("verified %v, want one by the link and one by the code", verified)
	}
	for ref := range awaiting {
		if verified[ref] == "" && !regexp.MustCompile(`(?m)^.*\b`+ref+`\b.* still awaiting verification`).MatchString(out) {
			t.Errorf("%s is neither verified nor reported as still awaiting verification", ref)
		}
	}

	cfgPath := regexp.MustCompile(`--config (\S+/helpdesk\.yaml)`).FindStringSubmatch(out)
	if cfgPath == nil {
		t.Fatalf("summary names no config to inspect the kept database with:\n%s", out)
	}
	js, errs, code := demoCLI(ctx, "tickets", "list", "--json", "--config", cfgPath[1])
	if code != 0 {
		t.Fatalf("tickets list on the demo database: exit %d: %s", code, errs)
	}
	var list []demoTicket
	if err := json.Unmarshal([]byte(js), &list); err != nil {
		t.Fatalf("tickets list --json: %v\n%s", err, js)
	}
	if len(list) != wantTickets {
		t.Fatalf("database holds %d tickets, want %d", len(list), wantTickets)
	}
	byCustomer := map[string]demoTicket{}
	categories := map[string]bool{}
	for _, tk := range list {
		byCustomer[tk.Customer] = tk
		categories[tk.Category] = true
		// Exactly the access, correction and deletion requests wait: no
		// sender is a known verified customer.
		switch tk.category() {
		case "rights/access", "rights/correction", "rights/deletion":
			if !awaiting[tk.Ref] {
				t.Errorf("%s (%s from %s) did not await verification", tk.Ref, tk.category(), tk.Customer)
			}
		default:
			if awaiting[tk.Ref] {
				t.Errorf("%s (%s from %s) awaited verification", tk.Ref, tk.category(), tk.Customer)
			}
		}
		ackFound := false
		for _, r := range ackRows {
			ackFound = ackFound || strings.HasPrefix(strings.TrimSpace(r), tk.Ref+" -> "+tk.Customer)
		}
		if ackFound == awaiting[tk.Ref] {
			t.Errorf("%s to %s: acknowledged before verification %v, awaiting verification %v", tk.Ref, tk.Customer, ackFound, awaiting[tk.Ref])
		}
		if awaiting[tk.Ref] && verMail[tk.Ref] != tk.Ref+" -> "+tk.Customer {
			t.Errorf("verification mail of %s went to %q, want %s", tk.Ref, verMail[tk.Ref], tk.Customer)
		}
		// In the database, after the demo: verified tickets are open with
		// both deadlines, the others still wait with none.
		switch {
		case verified[tk.Ref] != "" || !awaiting[tk.Ref]:
			if tk.Status != "open" || tk.FirstDue == nil || tk.ResDue == nil {
				t.Errorf("%s ends %s with deadlines %v %v, want open with both", tk.Ref, tk.Status, tk.FirstDue, tk.ResDue)
			}
		default:
			if tk.Status != "awaiting_verification" || tk.FirstDue != nil || tk.ResDue != nil {
				t.Errorf("%s ends %s with deadlines %v %v, want awaiting_verification with none", tk.Ref, tk.Status, tk.FirstDue, tk.ResDue)
			}
		}
	}
	for _, c := range []string{"product", "logistics", "rights"} {
		if !categories[c] {
			t.Errorf("no %s ticket among %v", c, list)
		}
	}
	for _, m := range automated {
		if tk, ok := byCustomer[m.From]; ok {
			t.Errorf("automated mail from %s opened %s", m.From, tk.Ref)
		}
	}
	// Mail whose category no classifier should miss. The others (a
	// complaint without the word "privacy", customs questions) are shown
	// as classified, whatever the classifier plugged in says.
	clear := map[string]string{
		"emma.walsh@example.com":    "product",
		"dan.brooks@example.com":    "product",
		"j.hoffmann@example.de":     "logistics",
		"liuyang.sz@example.cn":     "rights/deletion",
		"priya.raman@example.co.uk": "rights/access",
		"zhaomin@example.cn":        "rights/consent_withdrawal",
	}
	for _, m := range people {
		tk, ok := byCustomer[m.From]
		if !ok {
			t.Errorf("mail from %s (%s) opened no ticket", m.From, m.Subject)
			continue
		}
		if want := clear[m.From]; want != "" && tk.category() != want {
			t.Errorf("%s from %s: category %s, want %s", tk.Ref, m.From, tk.category(), want)
		}
		if f := rowFields[tk.Ref]; len(f) < 5 || f[1] != tk.Brand || f[2] != tk.category() || f[4] != tk.Customer {
			t.Errorf("summary row of %s is %v, want brand %s, category %s, customer %s", tk.Ref, f, tk.Brand, tk.category(), tk.Customer)
		}
	}

	// The verified tickets hold the verification mail and the
	// acknowledgement; the one verified by mail also the customer's reply.
	for ref, how := range verified {
		wantIn := map[string]int{"link": 1, "mail": 2}[how]
		if in, outMsgs := demoShowCounts(ctx, t, cfgPath[1], ref, nil); in != wantIn || outMsgs != 2 {
			t.Errorf("%s (verified by %s) holds %d incoming and %d outgoing mails, want %d and 2 (verification, acknowledgement)",
				ref, how, in, outMsgs, wantIn)
		}
	}

	// The follow-up is on the first ticket of its sender, with its photo.
	tk := byCustomer[demoFollowUpFrom]
	photo := false
	in, outMsgs := demoShowCounts(ctx, t, cfgPath[1], tk.Ref, func(filename string) { photo = photo || filename == "corkscrew.png" })
	if in != 2 || outMsgs != 1 || !photo {
		t.Errorf("%s holds %d incoming and %d outgoing mails (photo attached: %v), want the first mail, the ack and the follow-up with its photo",
			tk.Ref, in, outMsgs, photo)
	}
}

// demoShowCounts runs `tickets show --json` and counts the ticket's
// incoming and outgoing mails; attachment sees every attachment's name.
func demoShowCounts(ctx context.Context, t *testing.T, cfgPath, ref string, attachment func(string)) (in, out int) {
	t.Helper()
	js, errs, code := demoCLI(ctx, "tickets", "show", ref, "--json", "--config", cfgPath)
	if code != 0 {
		t.Fatalf("tickets show %s: exit %d: %s", ref, code, errs)
	}
	var shown demoTicket
	if err := json.Unmarshal([]byte(js), &shown); err != nil {
		t.Fatalf("tickets show --json: %v", err)
	}
	for _, m := range shown.Messages {
		if m.Direction == "in" {
			in++
		} else {
			out++
		}
		for _, a := range m.Attachments {
			if attachment != nil {
				attachment(a.Filename)
			}
		}
	}
	return in, out
}

func TestDemoUsage(t *testing.T) {
	if _, errs, code := demoCLI(context.Background(), "demo", "extra"); code != 2 || !strings.Contains(errs, "no arguments") {
		t.Errorf("demo with an argument: exit %d, %s", code, errs)
	}
	if _, _, code := demoCLI(context.Background(), "demo", "--no-such-flag"); code != 2 {
		t.Errorf("demo with an unknown flag: exit %d, want 2", code)
	}
}

// TestDemoMailsParse checks that every sample decodes to what it was
// written as: charsets, transfer encodings and encoded words included.
func TestDemoMailsParse(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	mails := demoMails(now)
	ack := &mailbox.Message{MessageID: "hg-1001.abc@mail.ximorent.example", Subject: "[HG-1001] We have received your question",
		Text: "Dear Daniel,\n\nThank you.\n", From: mailbox.Address{Name: "Ximo Household Goods"}}
	first, _ := demoMailFrom(mails, demoFollowUpFrom)
	mails = append(mails, demoFollowUp(first, ack, now))
	ids := map[string]bool{}
	for _, d := range mails {
		t.Run(d.From, func(t *testing.T) {
			m := mailbox.Parse(d.Raw, mailbox.ParseOptions{})
			if len(m.ParseErrors) > 0 {
				t.Errorf("parse errors: %v", m.ParseErrors)
			}
			if m.Subject != d.Subject {
				t.Errorf("subject %q, want %q", m.Subject, d.Subject)
			}
			if m.From.Email != d.From || m.MessageID != d.MessageID {
				t.Errorf("from %q id %q, want %q %q", m.From.Email, m.MessageID, d.From, d.MessageID)
			}
			if m.Automated != d.Automated {
				t.Errorf("automated = %v (%v), want %v", m.Automated, m.AutomatedReasons, d.Automated)
			}
			if strings.Contains(m.Text, "\uFFFD") || strings.TrimSpace(m.NewText) == "" {
				t.Errorf("text not decoded cleanly: %q", m.Text)
			}
			if ids[m.MessageID] {
				t.Errorf("duplicate Message-ID %s", m.MessageID)
			}
			ids[m.MessageID] = true
		})
	}
	fu := mailbox.Parse(mails[len(mails)-1].Raw, mailbox.ParseOptions{})
	if len(fu.InReplyTo) != 1 || fu.InReplyTo[0] != ack.MessageID || len(fu.Attachments) != 1 ||
		fu.Attachments[0].ContentType != "image/png" || strings.Contains(fu.NewText, "Thank you.") {
		t.Errorf("follow-up: in-reply-to %v, attachments %d, new text %q", fu.InReplyTo, len(fu.Attachments), fu.NewText)
	}

	// The answer to a verification mail carries the code in the
	// customer's own (unquoted) text and threads under the mail.
	verify := &mailbox.Message{MessageID: "v1.abc@mail.ximorent.example", Subject: "[HG-1005] Please confirm",
		From: mailbox.Address{Email: demoHomegoodsAddr}, To: []mailbox.Address{{Name: "Lucía Martín", Email: "lucia.martin@example.es"}},
		Text: "Dear Lucía,\n\nWe have received a request.\n\n    12345678\n"}
	cr := demoCodeReply("homegoods", verify, "12345678", now)
	m := mailbox.Parse(cr.Raw, mailbox.ParseOptions{})
	if len(m.ParseErrors) > 0 || m.From.Email != "lucia.martin@example.es" || m.From.Name != "Lucía Martín" ||
		len(m.InReplyTo) != 1 || m.InReplyTo[0] != verify.MessageID || m.Subject != "Re: [HG-1005] Please confirm" ||
		!strings.Contains(m.NewText, "12345678") || !strings.Contains(m.Quoted, "We have received") {
		t.Errorf("code reply: from %v, in-reply-to %v, subject %q, new text %q, quoted %q, errors %v",
			m.From, m.InReplyTo, m.Subject, m.NewText, m.Quoted, m.ParseErrors)
	}
}

// TestDemoSMTPDelivers checks the demo SMTP server: it records every
// message, and delivers mail for a shop into the shop's IMAP INBOX.
func TestDemoSMTPDelivers(t *testing.T) {
	srv, err := startDemoServers(demoMailboxes())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	msg := []byte("From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n")
	for _, to := range []string{"Service@Mail.Ximorent.example", "someone@example.org"} {
		if err := smtp.SendMail(srv.SMTPAddr, nil, "a@example.com", []string{to}, msg); err != nil {
			t.Fatalf("sending to %s: %v", to, err)
		}
	}
	got := srv.Received()
	if len(got) != 2 || !got[0].Local || got[1].Local || !bytes.Equal(got[0].Data, msg) || got[1].To[0] != "someone@example.org" {
		t.Fatalf("received = %+v", got)
	}
	for user, want := range map[string]uint32{"homegoods": 1, "xiyue": 0} {
		st, err := srv.users[user].Status("INBOX", &imap.StatusOptions{NumMessages: true})
		if err != nil || st.NumMessages == nil || *st.NumMessages != want {
			t.Errorf("%s INBOX: %+v, %v; want %d messages", user, st, err, want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestDemoKeepsRunning runs the demo without --once: mail sent to its SMTP
// server for a shop is delivered to the shop's mailbox, ingested, and
// printed as a new ticket; Ctrl-C (ctx cancelled) ends it with exit 0.
func TestDemoKeepsRunning(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	runCtx, stop := context.WithCancel(ctx)
	out, errb := &syncBuffer{}, &syncBuffer{}
	env := &cliEnv{stdout: out, stderr: errb, stdin: strings.NewReader(""), getenv: func(string) string { return "" }}
	exit := make(chan int, 1)
	go func() { exit <- run(runCtx, env, []string{"demo"}) }()

	waitFor := func(what string, ok func(string) bool) string {
		t.Helper()
		for {
			s := out.String()
			if ok(s) {
				return s
			}
			select {
			case code := <-exit:
				t.Fatalf("demo exited %d while waiting for %s\nstdout:\n%s\nstderr:\n%s", code, what, s, errb.String())
			case <-ctx.Done():
				t.Fatalf("timed out waiting for %s\nstdout:\n%s", what, s)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	s := waitFor("the summary", func(s string) bool { return strings.Contains(s, "New tickets:\n") })
	addr := regexp.MustCompile(`Deliver more mail by SMTP to (127\.0\.0\.1:\d+)`).FindStringSubmatch(s)
	if addr == nil {
		t.Fatalf("no SMTP address in the hint:\n%s", s)
	}
	msg := "From: Hans Weber <hans@example.de>\r\nTo: " + demoXiyueAddr + "\r\nSubject: Ring size exchange\r\n" +
		"Message-ID: <hans-1@example.de>\r\n\r\nHello, the ring I ordered is too small. Can I exchange it for size 60?\r\n"
	if err := smtp.SendMail(addr[1], nil, "hans@example.de", []string{demoXiyueAddr}, []byte(msg)); err != nil {
		t.Fatalf("delivering to the running demo: %v", err)
	}
	newTicket := regexp.MustCompile(`(?m)^  XY-\d+ +xiyue .* hans@example\.de +first response due .*\(UTC\+8\): Ring size exchange$`)
	waitFor("the new ticket line", newTicket.MatchString)
	stop()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("demo stopped by Ctrl-C exited %d\nstderr:\n%s", code, errb.String())
		}
	case <-ctx.Done():
		t.Fatal("demo did not stop after ctx was cancelled")
	}
	if !strings.Contains(out.String(), "Stopping.") {
		t.Errorf("no goodbye line:\n%s", out.String())
	}
}
