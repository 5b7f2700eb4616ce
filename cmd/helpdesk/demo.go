package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/tickets"
	"helpdesk/tickets/calendar"
)

// demoTimeout bounds how long the demo waits for the sample mail to be
// ingested and answered before it gives up with an error.
const demoTimeout = 30 * time.Second

// demoPassword is the IMAP password of both demo mailboxes.
const demoPassword = "demo"

// runDemo is `helpdesk demo`: the real daemon (serveApp: IMAP ingest with
// IDLE, outbox workers, SLA scheduler) against loopback IMAP and SMTP
// servers in this process, with SQLite in a temporary directory. It seeds
// the shops' mailboxes with sample mail, waits until everything is
// ingested and acknowledged, prints what happened, and keeps running until
// Ctrl-C (or exits at once with --once).
func runDemo(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "demo")
	once := fs.Bool("once", false, "print the summary and exit (for tests and CI)")
	keep := fs.Bool("keep", false, "keep the temporary directory (database, config, data) at exit")
	verbose := fs.Bool("verbose", false, "log the daemon's work at info level on stderr")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 0, "no arguments"); err != nil {
		return err
	}
	// --config is accepted like everywhere else, but the demo builds its
	// configuration in code and never reads a file.
	level := "warn"
	if *verbose {
		level = "info"
	}
	log := newLogger(env.stderr, level, "text")

	dir, err := os.MkdirTemp("", "helpdesk-demo-")
	if err != nil {
		return fmt.Errorf("creating the demo directory: %w", err)
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	srv, err := startDemoServers(demoMailboxes())
	if err != nil {
		return err
	}
	defer srv.Close()
	cfg, err := demoConfig(dir, srv, level)
	if err != nil {
		return err
	}
	cfgPath := filepath.Join(dir, "helpdesk.yaml")
	if err := writeDemoConfig(cfg, cfgPath); err != nil {
		return err
	}

	start := time.Now()
	mails := demoMails(start)
	for _, m := range mails {
		if err := srv.Append(m.User, m.Raw); err != nil {
			return err
		}
	}
	a, err := openDemoApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	d := startDemoDaemon(ctx, a)
	defer d.Stop()

	deadline := start.Add(demoTimeout)
	if err := waitSettled(ctx, a, d, len(mails), deadline); err != nil {
		return err
	}
	// The customer answers our acknowledgement, as a mail program would:
	// In-Reply-To names the acknowledgement's Message-ID. IDLE wakes the
	// daemon for it.
	acks, err := demoSentKind(ctx, a, srv, "ack")
	if err != nil {
		return err
	}
	first, ok := demoMailFrom(mails, demoFollowUpFrom)
	if !ok {
		return fmt.Errorf("no sample mail from %s to follow up on", demoFollowUpFrom)
	}
	ack := ackTo(acks, demoFollowUpFrom)
	follow := demoFollowUp(first, ack, time.Now())
	if err := srv.Append(follow.User, follow.Raw); err != nil {
		return err
	}
	if err := waitSettled(ctx, a, d, len(mails)+1, deadline); err != nil {
		return err
	}
	rep, err := collectDemoReport(ctx, a, srv, follow)
	if err != nil {
		return err
	}
	rep.Elapsed, rep.FollowUpToAck = time.Since(start), ack != nil
	sortDemoReport(rep, cfg)
	// The tickets table above is the state before anyone verified; now two
	// customers confirm their requests, one by each path.
	if rep.Verified, err = verifyDemoTickets(ctx, a, srv, d, rep, deadline); err != nil {
		return err
	}
	w := env.stdout
	printDemoSummary(w, srv, cfg, dir, *keep, append(mails, follow), rep)

	example := "XY-1"
	if len(rep.Tickets) > 0 {
		example = rep.Tickets[0].Ref
	}
	printDemoNext(w, srv, dir, example, stillAwaiting(rep), *once, *keep)
	if *once {
		return nil
	}
	fmt.Fprintln(w, "\nPress Ctrl-C to stop. New tickets:")
	watchTickets(ctx, w, a, rep.Tickets)
	fmt.Fprintln(w, "\nStopping.")
	return nil
}

// demoMailboxes are the two shops' accounts on the demo IMAP server.
func demoMailboxes() []demoMailbox {
	return []demoMailbox{
		{User: "xiyue", Password: demoPassword, Addresses: []string{demoXiyueAddr, demoXiyuePrivacy}},
		{User: "homegoods", Password: demoPassword, Addresses: []string{demoHomegoodsAddr}},
	}
}

// demoConfig is the configuration the demo runs with: the defaults plus
// the two example shops of DESIGN.md, pointed at the demo servers.
func demoConfig(dir string, srv *demoServers, level string) (*config.Config, error) {
	imapHost, imapPort, err := splitAddr(srv.IMAPAddr)
	if err != nil {
		return nil, err
	}
	smtpHost, smtpPort, err := splitAddr(srv.SMTPAddr)
	if err != nil {
		return nil, err
	}
	httpAddr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	cfg := config.Defaults()
	cfg.HTTP.Listen = httpAddr // not the default port: a real daemon may be using it
	// Verification links in mail point at this listener.
	cfg.HTTP.BaseURL = "http://" + httpAddr
	cfg.Database = config.Database{Driver: "sqlite", DSN: filepath.Join(dir, "helpdesk.db")}
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.Log = config.Log{Level: level, Format: "text"}
	cfg.Agents.Address = "agents@xiyue.example"
	brand := func(id, name, addr, privacy, prefix, lang string, pol config.Policy) config.Brand {
		return config.Brand{
			ID: id, Name: name, Address: addr, PrivacyContact: privacy, TicketPrefix: prefix, Language: lang,
			IMAP: config.IMAP{Host: imapHost, Port: imapPort, Security: "none", Username: id, Password: demoPassword,
				Auth: "password", Folder: "INBOX", AfterImport: "seen", PollInterval: config.Duration(60 * time.Second), IDLE: true},
			SMTP:   config.SMTP{Host: smtpHost, Port: smtpPort, Security: "none", Auth: "none"},
			Policy: pol,
		}
	}
	def := config.DefaultPolicy()
	cfg.Brands = []config.Brand{
		// Xiyue (seed 000): corrections and queries in 1-3 working days,
		// complaints answered within 5, notices 30 days ahead.
		brand("xiyue", "Xiyue Technology", demoXiyueAddr, demoXiyuePrivacy, "XY", "zh", config.Policy{
			FirstResponse: "1bd",
			Resolution:    def.Resolution,
			Rights: map[string]string{"access": "3bd", "correction": "3bd", "deletion": "15bd",
				"consent_withdrawal": "3bd", "complaint": "5bd"},
			NoticeDays: 30,
		}),
		// Ximo household goods (seed 002): query and correction 1-2
		// business days, deletion 7, complaints 1-3, notices 7 days ahead.
		brand("homegoods", "Ximo Household Goods", demoHomegoodsAddr, demoHomegoodsAddr, "HG", "en", config.Policy{
			FirstResponse: "1bd",
			Resolution:    def.Resolution,
			Rights: map[string]string{"access": "2bd", "correction": "2bd", "deletion": "7bd",
				"consent_withdrawal": def.Rights["consent_withdrawal"], "complaint": "3bd"},
			NoticeDays: 7,
		}),
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("demo configuration: %w", err)
	}
	if err := checkRuntime(cfg); err != nil {
		return nil, fmt.Errorf("demo configuration: %w", err)
	}
	return cfg, nil
}

func splitAddr(addr string) (string, int, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("demo server address %q: %w", addr, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil {
		return "", 0, fmt.Errorf("demo server address %q: %w", addr, err)
	}
	return host, n, nil
}

// writeDemoConfig writes cfg as YAML and loads it back, so the commands
// the demo suggests are known to accept the file.
func writeDemoConfig(cfg *config.Config, path string) error {
	b, err := yaml.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("encoding the demo config: %w", err)
	}
	b = append([]byte("# Written by `helpdesk demo`. Its IMAP and SMTP servers exist only while the demo runs.\n"), b...)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return fmt.Errorf("writing the demo config: %w", err)
	}
	if _, err := config.Parse(b, func(string) string { return "" }); err != nil {
		return fmt.Errorf("the demo config does not load back: %w", err)
	}
	return nil
}

// openDemoApp is openApp on a configuration built in code.
func openDemoApp(ctx context.Context, cfg *config.Config, log *slog.Logger) (*app, error) {
	store, err := tickets.OpenStore(ctx, tickets.StoreOptions{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, Logger: log})
	if err != nil {
		return nil, err
	}
	if _, err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	}
	svc, err := tickets.NewService(tickets.ServiceOptions{Store: store, Config: cfg, Logger: log, Classifier: newClassifier(cfg, log)})
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("starting: %w", err)
	}
	return &app{cfg: cfg, log: log, store: store, svc: svc}, nil
}

// demoDaemon is serveApp running in the background.
type demoDaemon struct {
	stop context.CancelFunc
	done chan struct{}
	err  error // set before done is closed
}

func startDemoDaemon(ctx context.Context, a *app) *demoDaemon {
	ctx, cancel := context.WithCancel(ctx)
	d := &demoDaemon{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(d.done)
		d.err = serveApp(ctx, a, tickets.DialIMAP, tickets.SMTPSenders(a.log))
	}()
	return d
}

// Stop shuts the daemon down and waits until it has finished the work in
// hand, so the store can be closed after it.
func (d *demoDaemon) Stop() {
	d.stop()
	<-d.done
}

// waitSettled waits until want incoming messages are stored (or
// quarantined) and the outbox holds nothing queued or being sent.
func waitSettled(ctx context.Context, a *app, d *demoDaemon, want int, deadline time.Time) error {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		stored, pending, err := demoProgress(ctx, a)
		if err != nil {
			return err
		}
		if stored >= int64(want) && pending == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %s: %d of %d sample mails stored, %d outgoing mails not sent yet (run with --verbose to see the daemon's log)",
				demoTimeout, stored, want, pending)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.done:
			return fmt.Errorf("the daemon stopped early: %v", d.err)
		case <-t.C:
		}
	}
}

// demoProgress counts incoming messages stored or quarantined, and
// outgoing mail still queued or being sent.
func demoProgress(ctx context.Context, a *app) (stored, pending int64, err error) {
	db := a.store.DB().WithContext(ctx)
	var in, quarantined int64
	if err := db.Model(&tickets.Message{}).Where("direction = ?", tickets.DirectionIn).Count(&in).Error; err != nil {
		return 0, 0, fmt.Errorf("counting stored mail: %w", err)
	}
	if err := db.Model(&tickets.Quarantine{}).Count(&quarantined).Error; err != nil {
		return 0, 0, fmt.Errorf("counting quarantined mail: %w", err)
	}
	counts, err := a.store.OutboxCounts(ctx)
	if err != nil {
		return 0, 0, err
	}
	return in + quarantined, counts[tickets.OutboxQueued] + counts[tickets.OutboxSending], nil
}

// watchTickets prints a line for every ticket that appears after known,
// checking every second, until ctx ends.
func watchTickets(ctx context.Context, w io.Writer, a *app, known []tickets.TicketView) {
	seen := map[string]bool{}
	for _, t := range known {
		seen[t.Ref] = true
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		list, err := a.svc.ListTickets(ctx, tickets.ListFilter{})
		if err != nil {
			if ctx.Err() == nil {
				a.log.Error("listing tickets", "err", err)
			}
			continue
		}
		for _, t := range list {
			if seen[t.Ref] {
				continue
			}
			seen[t.Ref] = true
			due := "first response due " + demoDue(t.FirstResponseDue)
			if t.Status == tickets.StatusAwaitingVerification {
				due = "awaiting verification (mail sent)"
			}
			fmt.Fprintf(w, "  %s  %-9s  %-26s %-5s %s  %s: %s\n", t.Ref, t.Brand, categoryOf(t),
				t.Language, t.Customer, due, clip(t.Subject, 50))
		}
	}
}

// demoSent is a mail of ours the demo SMTP server received.
type demoSent struct {
	Ref string // the ticket it is about
	To  string // envelope recipients
	Msg *mailbox.Message
}

// demoSentKind returns the mail of one outbox kind ("ack", "verify")
// among the mail the SMTP server received, recognised by the Message-ID
// the outbox gave it.
func demoSentKind(ctx context.Context, a *app, srv *demoServers, want string) ([]demoSent, error) {
	var rows []struct{ MessageID, Kind, Ref string }
	err := a.store.DB().WithContext(ctx).Table("outbox").
		Select("outbox.message_id AS message_id, outbox.kind AS kind, COALESCE(tickets.ref, '') AS ref").
		Joins("LEFT JOIN tickets ON tickets.id = outbox.ticket_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("reading the outbox: %w", err)
	}
	kind, ref := map[string]string{}, map[string]string{}
	for _, r := range rows {
		kind[r.MessageID], ref[r.MessageID] = r.Kind, r.Ref
	}
	var out []demoSent
	for _, r := range srv.Received() {
		m := mailbox.Parse(r.Data, mailbox.ParseOptions{})
		if kind[m.MessageID] != want {
			continue
		}
		out = append(out, demoSent{Ref: ref[m.MessageID], To: strings.Join(r.To, ", "), Msg: m})
	}
	return out, nil
}

// ackTo returns the acknowledgement sent to email, or nil.
func ackTo(acks []demoSent, email string) *mailbox.Message {
	for _, k := range acks {
		if strings.EqualFold(k.To, email) {
			return k.Msg
		}
	}
	return nil
}

// demoReport is what the summary shows.
type demoReport struct {
	Tickets       []tickets.TicketView
	Automated     []demoAutomated
	Acks          []demoSent
	Verifications []demoSent // identity verification mails
	Verified      []demoVerified
	FollowUpRef   string // the ticket the follow-up joined; "" when none
	FollowUpToAck bool   // the follow-up answered our acknowledgement (else the customer's first mail)
	Elapsed       time.Duration
}

// demoAutomated is an incoming mail no person wrote.
type demoAutomated struct {
	Brand, From, Subject string
	Ref                  string // the ticket it threaded onto, if any
	Reasons              []string
}

func collectDemoReport(ctx context.Context, a *app, srv *demoServers, follow demoMail) (*demoReport, error) {
	rep := &demoReport{}
	var err error
	if rep.Tickets, err = a.svc.ListTickets(ctx, tickets.ListFilter{}); err != nil {
		return nil, err
	}
	if rep.Acks, err = demoSentKind(ctx, a, srv, "ack"); err != nil {
		return nil, err
	}
	if rep.Verifications, err = demoSentKind(ctx, a, srv, "verify"); err != nil {
		return nil, err
	}
	db := a.store.DB().WithContext(ctx)
	var ts []tickets.Ticket
	if err := db.Select("id, ref").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("reading tickets: %w", err)
	}
	refs := map[int64]string{}
	for _, t := range ts {
		refs[t.ID] = t.Ref
	}
	var auto []tickets.Message
	if err := db.Where("direction = ? AND automated = ?", tickets.DirectionIn, true).Order("id").Find(&auto).Error; err != nil {
		return nil, fmt.Errorf("reading automated mail: %w", err)
	}
	for _, m := range auto {
		da := demoAutomated{Brand: m.Brand, From: m.FromEmail, Subject: m.Subject}
		if m.TicketID != nil {
			da.Ref = refs[*m.TicketID]
		}
		_ = json.Unmarshal([]byte(m.AutomatedReasons), &da.Reasons)
		rep.Automated = append(rep.Automated, da)
	}
	var fu []tickets.Message
	if err := db.Where("direction = ? AND message_id = ?", tickets.DirectionIn, follow.MessageID).Limit(1).Find(&fu).Error; err != nil {
		return nil, fmt.Errorf("reading the follow-up: %w", err)
	}
	if len(fu) == 1 && fu[0].TicketID != nil {
		rep.FollowUpRef = refs[*fu[0].TicketID]
	}
	return rep, nil
}

func categoryOf(t tickets.TicketView) string {
	if t.RightsType != nil {
		return t.Category + "/" + *t.RightsType
	}
	return t.Category
}

// demoDue shows a deadline in the shop's zone: "Tue 24 Nov 10:00 (UTC+8)".
func demoDue(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format("Mon 2 Jan 15:04") + " (" + calendar.OffsetLabel(*t) + ")"
}

func printDemoSummary(w io.Writer, srv *demoServers, cfg *config.Config, dir string, keep bool, mails []demoMail, rep *demoReport) {
	fmt.Fprintln(w, "helpdesk demo: the real daemon against mail servers inside this process")
	fmt.Fprintf(w, "  IMAP  %-21s security none, IDLE; users xiyue and homegoods, password %q\n", srv.IMAPAddr, demoPassword)
	fmt.Fprintf(w, "  SMTP  %-21s accepts every message and keeps it in memory\n", srv.SMTPAddr)
	fmt.Fprintf(w, "  HTTP  %-21s the daemon's own listener: /healthz, verification and unsubscribe links\n", cfg.HTTP.Listen)
	kept := "removed at exit; --keep keeps it"
	if keep {
		kept = "kept at exit"
	}
	fmt.Fprintf(w, "  data  %s  (SQLite database, helpdesk.yaml, data_dir; %s)\n", dir, kept)

	fmt.Fprintf(w, "\nSample mail delivered to the shops' mailboxes (%d; the last one answers an acknowledgement):\n", len(mails))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, m := range mails {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", m.User, m.From, m.Shows, clip(m.Subject, 50))
	}
	tw.Flush()
	fmt.Fprintf(w, "All %d ingested over IMAP and classified in %s; the SMTP server received %d acknowledgements and %d identity verification mails.\n",
		len(mails), rep.Elapsed.Round(100*time.Millisecond), len(rep.Acks), len(rep.Verifications))

	fmt.Fprintf(w, "\nTickets (%d)\n", len(rep.Tickets))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  REF\tBRAND\tCATEGORY\tLANG\tCUSTOMER\tSTATUS\tFIRST RESPONSE DUE\tRESOLUTION DUE\tSUBJECT")
	for _, t := range rep.Tickets {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Ref, t.Brand, categoryOf(t), t.Language, t.Customer,
			statusText(t.Status), demoDue(t.FirstResponseDue), demoDue(t.ResolutionDue), clip(t.Subject, 50))
	}
	tw.Flush()
	fmt.Fprintln(w)
	answered := "answered the acknowledgement (In-Reply-To: its Message-ID)"
	if !rep.FollowUpToAck {
		answered = "replied to their first mail (no acknowledgement arrived)"
	}
	if rep.FollowUpRef != "" {
		fmt.Fprintf(w, "Follow-up: %s %s and joined %s\n", demoFollowUpFrom, answered, rep.FollowUpRef)
		fmt.Fprintln(w, "(no new ticket, no second acknowledgement; the photo is stored as an attachment).")
	} else {
		fmt.Fprintf(w, "Follow-up: %s %s, but it did not thread onto a ticket.\n", demoFollowUpFrom, answered)
	}

	fmt.Fprintf(w, "\nAutomated mail: stored, no ticket opened, nothing sent back (%d)\n", len(rep.Automated))
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, m := range rep.Automated {
		where := "no ticket"
		if m.Ref != "" {
			where = "on " + m.Ref
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t[%s]\t%s\n", m.Brand, m.From, where, strings.Join(m.Reasons, ", "), clip(m.Subject, 50))
	}
	tw.Flush()

	fmt.Fprintf(w, "\nAcknowledgements received by the SMTP server (%d)\n", len(rep.Acks))
	for _, k := range rep.Acks {
		fmt.Fprintf(w, "  %s -> %s: %s\n", k.Ref, k.To, k.Msg.Subject)
		for _, l := range firstLines(k.Msg.Text, 3) {
			fmt.Fprintf(w, "      | %s\n", clip(l, 100))
		}
	}
	printDemoVerification(w, rep)
}

// statusText is a ticket status for people: "awaiting verification".
func statusText(s string) string { return strings.ReplaceAll(s, "_", " ") }

// sortDemoReport orders tickets by brand (as configured) and number, and
// acknowledgements like their tickets.
func sortDemoReport(rep *demoReport, cfg *config.Config) {
	brandIdx := map[string]int{}
	for i, b := range cfg.Brands {
		brandIdx[b.ID] = i
	}
	num := func(ref string) int {
		_, n, _ := strings.Cut(ref, "-")
		v, _ := strconv.Atoi(n)
		return v
	}
	sort.SliceStable(rep.Tickets, func(i, j int) bool {
		a, b := rep.Tickets[i], rep.Tickets[j]
		if brandIdx[a.Brand] != brandIdx[b.Brand] {
			return brandIdx[a.Brand] < brandIdx[b.Brand]
		}
		return num(a.Ref) < num(b.Ref)
	})
	pos := map[string]int{}
	for i, t := range rep.Tickets {
		pos[t.Ref] = i
	}
	sort.SliceStable(rep.Acks, func(i, j int) bool { return pos[rep.Acks[i].Ref] < pos[rep.Acks[j].Ref] })
	sort.SliceStable(rep.Verifications, func(i, j int) bool {
		return pos[rep.Verifications[i].Ref] < pos[rep.Verifications[j].Ref]
	})
}
