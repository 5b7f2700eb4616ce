package tickets

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/mailbox/smtpsend"
	"helpdesk/templates"
)

// noticeRun is what a worker needs to render a notice: loaded once per
// process, with the body rendered once per language. Its status is
// refreshed at most every statusTTL, so pause and cancel take effect
// between two messages without a query per message.
type noticeRun struct {
	n      *Notice
	brand  *config.Brand
	tb     templates.Brand
	eff    time.Time
	secret []byte
	bodies map[string]noticeBody // by language; n.Language always present

	mu      sync.Mutex
	status  string
	checked time.Time

	lmu     sync.Mutex
	layouts map[layoutKey]*noticeLayout // see renderNotice
}

type noticeBody struct{ title, text, html string }

const noticeStatusTTL = 200 * time.Millisecond

func (s *Service) loadNoticeRun(ctx context.Context, n *Notice) (*noticeRun, error) {
	b, ok := s.cfg.Brand(n.Brand)
	if !ok {
		return nil, fmt.Errorf("notice %d: brand %q is no longer configured", n.ID, n.Brand)
	}
	secret, err := hex.DecodeString(n.Secret)
	if err != nil {
		return nil, fmt.Errorf("notice %d: bad secret: %w", n.ID, err)
	}
	eff, err := time.ParseInLocation(time.DateOnly, n.EffectiveDate, s.location(b.ID))
	if err != nil {
		return nil, fmt.Errorf("notice %d: effective date: %w", n.ID, err)
	}
	run := &noticeRun{n: n, brand: b, tb: s.TemplateBrand(b), eff: eff, secret: secret,
		bodies: map[string]noticeBody{}, status: n.Status, checked: time.Now()}
	text, html := RenderNoticeBody(n.Body)
	run.bodies[n.Language] = noticeBody{n.Title, text, html}
	var trs []NoticeTranslation
	if err := s.store.db.WithContext(ctx).Where("notice_id = ?", n.ID).Find(&trs).Error; err != nil {
		return nil, fmt.Errorf("loading translations of notice %d: %w", n.ID, err)
	}
	for _, tr := range trs {
		text, html := RenderNoticeBody(tr.Body)
		run.bodies[tr.Language] = noticeBody{tr.Title, text, html}
	}
	return run, nil
}

// noticeMessageID is the recipient's own Message-ID:
// n<notice>.<row>.<mac>@<brand domain>. The MAC (keyed with the notice's
// secret) makes it unguessable, so nobody can thread into another
// customer's ticket or mark someone else's copy bounced; the ids in it let
// a reply or a bounce find the row without an index.
func noticeMessageID(secret []byte, noticeID, rowID int64, address string) string {
	domain := "helpdesk.invalid"
	if _, d, ok := strings.Cut(address, "@"); ok && d != "" {
		domain = d
	}
	return fmt.Sprintf("n%d.%d.%s@%s", noticeID, rowID, noticeMAC(secret, "mid", rowID), domain)
}

// noticeToken is the recipient's unsubscribe token.
func noticeToken(secret []byte, noticeID, rowID int64) string {
	return fmt.Sprintf("%d.%d.%s", noticeID, rowID, noticeMAC(secret, "unsub", rowID))
}

func noticeMAC(secret []byte, purpose string, rowID int64) string {
	h := hmac.New(sha256.New, secret)
	fmt.Fprintf(h, "%s:%d", purpose, rowID)
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// parseNoticeRef splits "n1.2.mac@domain" or "1.2.mac" into its parts.
func parseNoticeRef(s string) (noticeID, rowID int64, mac string, ok bool) {
	s, _, _ = strings.Cut(strings.Trim(strings.TrimSpace(s), "<>"), "@")
	parts := strings.Split(strings.TrimPrefix(s, "n"), ".")
	if len(parts) != 3 || len(parts[2]) != 24 {
		return 0, 0, "", false
	}
	nid, err1 := strconv.ParseInt(parts[0], 10, 64)
	rid, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || nid <= 0 || rid <= 0 {
		return 0, 0, "", false
	}
	return nid, rid, parts[2], true
}

func (s *Service) unsubscribeURL(token string) string {
	base := s.cfg.HTTP.BaseURL
	if base == "" {
		base = "http://" + s.cfg.HTTP.Listen
	}
	return strings.TrimRight(base, "/") + "/unsubscribe/" + token
}

// noticeMail builds one recipient's mail: the notice in their language
// when it has that translation, else in the notice's own language.
func (s *Service) noticeMail(run *noticeRun, r *NoticeRecipient, now time.Time) (*smtpsend.Mail, string, error) {
	lang := templates.NormalizeLang(r.Language)
	if _, ok := run.bodies[lang]; !ok {
		lang = run.n.Language
	}
	var headers [][2]string
	token := ""
	if !run.n.CoreRights {
		// RFC 2369 and RFC 8058: one-click unsubscribe for mail the
		// customer may refuse. Core-rights notices carry none: the shops
		// promised to send them to everyone.
		token = noticeToken(run.secret, run.n.ID, r.ID)
		u := s.unsubscribeURL(token)
		headers = [][2]string{
			{"List-Unsubscribe", "<" + u + ">, <mailto:" + run.brand.Address + "?subject=unsubscribe>"},
			{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"},
		}
	}
	rendered, err := s.renderNotice(run, lang, noticeVars{name: r.Name, email: r.Email, token: token})
	if err != nil {
		return nil, "", fmt.Errorf("rendering notice %d: %w", run.n.ID, err)
	}
	from := mailbox.Address{Name: run.brand.Name, Email: run.brand.Address}
	return &smtpsend.Mail{
		From: from, To: []mailbox.Address{{Name: r.Name, Email: r.Email}}, ReplyTo: &from,
		Subject: rendered.Subject, MessageID: noticeMessageID(run.secret, run.n.ID, r.ID, run.brand.Address),
		AutoSubmitted: smtpsend.AutoGenerated, Headers: headers, Date: now,
		Text: rendered.Text, HTML: rendered.HTML,
	}, rendered.Lang, nil
}

func renderMail(m *smtpsend.Mail) ([]byte, error) { return smtpsend.Render(m) }

// noticeVars are the per-recipient parts of a notice: everything else is
// the same for every recipient of one language.
type noticeVars struct{ name, email, token string }

// Placeholders stand for the per-recipient values while a notice is
// rendered once per language. They are letters and digits only, so every
// escaping context of text/template and html/template leaves them as
// they are, and tidying never touches them.
const (
	phName  = "HDNOTICEPH7n4m3"
	phEmail = "HDNOTICEPH7m41l"
	phToken = "HDNOTICEPH7t0k3n"
)

// htmlTextEscaper escapes exactly as html/template does for a value in
// HTML text or a quoted attribute (its htmlReplacementTable; NUL cannot
// occur, see substitutable). html.EscapeString would leave '+' alone
// and so differ from a full render.
var htmlTextEscaper = strings.NewReplacer(`"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

type layoutKey struct {
	lang  string
	named bool // a non-empty name: templates greet "Dear NAME," or "Hello,"
}

// noticeLayout is a notice rendered once for one language with
// placeholders; nil parts mean the template cannot be filled in safely and
// every recipient is rendered in full.
type noticeLayout struct {
	lang                string
	subject, text, html []layoutPart
}

// layoutPart is literal text followed by one placeholder (kind 0: none).
type layoutPart struct {
	lit  string
	kind byte // 'n' name, 'e' email, 't' token
}

func splitLayout(s string) []layoutPart {
	var parts []layoutPart
	for {
		i := strings.Index(s, "HDNOTICEPH7")
		if i < 0 {
			return append(parts, layoutPart{lit: s})
		}
		var kind byte
		var ph string
		switch {
		case strings.HasPrefix(s[i:], phName):
			kind, ph = 'n', phName
		case strings.HasPrefix(s[i:], phEmail):
			kind, ph = 'e', phEmail
		case strings.HasPrefix(s[i:], phToken):
			kind, ph = 't', phToken
		default:
			return nil // a placeholder the template changed: not fillable
		}
		parts = append(parts, layoutPart{lit: s[:i], kind: kind})
		s = s[i+len(ph):]
	}
}

func fillLayout(parts []layoutPart, v noticeVars, html bool) string {
	name, email := v.name, v.email
	if html {
		name, email = htmlTextEscaper.Replace(name), htmlTextEscaper.Replace(email)
	}
	n := 0
	for _, p := range parts {
		n += len(p.lit) + len(name) + len(email)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range parts {
		b.WriteString(p.lit)
		switch p.kind {
		case 'n':
			b.WriteString(name)
		case 'e':
			b.WriteString(email)
		case 't':
			b.WriteString(v.token) // digits, dots and hex: the same in every context
		}
	}
	return b.String()
}

func (l *noticeLayout) fill(v noticeVars) templates.Rendered {
	r := templates.Rendered{Lang: l.lang, Subject: fillLayout(l.subject, v, false), Text: fillLayout(l.text, v, false)}
	if l.html != nil {
		r.HTML = fillLayout(l.html, v, true)
	}
	return r
}

// substitutable reports whether s renders the same wherever a template
// puts it: no control characters, and spaces only single ASCII spaces
// between other characters, so neither the subject's one-lining nor the
// text part's tidying (trailing blanks, blank lines) would change it.
func substitutable(s string) bool {
	prevSpace := true // no leading space
	for _, r := range s {
		switch {
		case r == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
			continue
		case unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError:
			return false
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// renderNotice renders the notice for one recipient. The template runs
// once per language (and per named/unnamed greeting) with placeholders,
// and each recipient's name, address and unsubscribe token are put in
// their places: the template engine cost a third of a broadcast's CPU.
// Before a layout is trusted it must reproduce, byte for byte, full
// renders for probe recipients whose names hold every character HTML
// escapes, spaces and non-ASCII text; a template that uses the name
// other than by printing it (in a script or an unquoted attribute, with
// a function applied) fails that check and is rendered in full for
// every recipient, as are values substitutable refuses.
func (s *Service) renderNotice(run *noticeRun, lang string, v noticeVars) (templates.Rendered, error) {
	if substitutable(v.name) && substitutable(v.email) {
		l, err := s.noticeLayout(run, layoutKey{lang: lang, named: v.name != ""})
		if err != nil {
			return templates.Rendered{}, err
		}
		if l != nil {
			return l.fill(v), nil
		}
	}
	return s.renderNoticeFull(run, lang, v)
}

func (s *Service) renderNoticeFull(run *noticeRun, lang string, v noticeVars) (templates.Rendered, error) {
	body := run.bodies[lang]
	d := templates.Data{Brand: run.tb, CustomerName: v.name, CustomerEmail: v.email, Body: body.text,
		BodyHTML: template.HTML(body.html), // sanitized by RenderNoticeBody
		Notice:   templates.Notice{Title: body.title, Effective: run.eff, Mandatory: run.n.CoreRights}}
	if v.token != "" {
		d.Notice.UnsubscribeURL = s.unsubscribeURL(v.token)
	}
	return s.templates[run.brand.ID].Render(templates.NameNotice, lang, d)
}

// noticeLayout returns the checked layout for k, building it on first
// use; nil means render in full.
func (s *Service) noticeLayout(run *noticeRun, k layoutKey) (*noticeLayout, error) {
	run.lmu.Lock()
	defer run.lmu.Unlock()
	if l, ok := run.layouts[k]; ok {
		return l, nil
	}
	l, err := s.buildNoticeLayout(run, k)
	if err != nil {
		return nil, err
	}
	if run.layouts == nil {
		run.layouts = map[layoutKey]*noticeLayout{}
	}
	run.layouts[k] = l
	if l == nil {
		s.log.Info("notice template uses recipient data in a way that needs a full render per recipient",
			"notice", run.n.ID, "lang", k.lang)
	}
	return l, nil
}

func (s *Service) buildNoticeLayout(run *noticeRun, k layoutKey) (*noticeLayout, error) {
	ph := noticeVars{email: phEmail}
	if k.named {
		ph.name = phName
	}
	if !run.n.CoreRights {
		ph.token = phToken
	}
	r, err := s.renderNoticeFull(run, k.lang, ph)
	if err != nil {
		return nil, err
	}
	l := &noticeLayout{lang: r.Lang, subject: splitLayout(r.Subject), text: splitLayout(r.Text)}
	if r.HTML != "" {
		l.html = splitLayout(r.HTML)
	}
	if l.subject == nil || l.text == nil || (r.HTML != "" && l.html == nil) {
		return nil, nil
	}
	probes := []noticeVars{
		{name: `Zoë "Q" <O'Brien> & Söhne + 王芳`, email: `o'brien+x&y@exa-mple.example`},
		{name: "X", email: "b@c.example"},
	}
	for _, p := range probes {
		if !k.named {
			p.name = ""
		}
		if !run.n.CoreRights {
			p.token = noticeToken(run.secret, run.n.ID, int64(len(p.name)+1))
		}
		want, err := s.renderNoticeFull(run, k.lang, p)
		if err != nil {
			return nil, err
		}
		if l.fill(p) != want {
			return nil, nil
		}
	}
	return l, nil
}

// noticeRuns caches the notices a process is sending.
type noticeRuns struct {
	svc *Service
	mu  sync.Mutex
	m   map[int64]*noticeRun

	// writeMu queues this process's notice workers for SQLite's single
	// write lock in Go. Left to SQLite, a worker that finds the lock taken
	// sleeps in the busy handler (1 ms and more), which idled the CPU and
	// halved a broadcast's rate; other processes still wait on the busy
	// timeout.
	writeMu sync.Mutex
}

// writing takes writeMu on SQLite; call the returned func when done.
func (c *noticeRuns) writing() func() {
	if c.svc.store.driver != "sqlite" {
		return func() {}
	}
	c.writeMu.Lock()
	return c.writeMu.Unlock
}

func (c *noticeRuns) get(ctx context.Context, id int64) (*noticeRun, error) {
	c.mu.Lock()
	run := c.m[id]
	c.mu.Unlock()
	if run == nil {
		n, err := c.svc.Notice(ctx, id)
		if err != nil {
			return nil, err
		}
		if run, err = c.svc.loadNoticeRun(ctx, n); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if prev := c.m[id]; prev != nil {
			run = prev
		} else {
			c.m[id] = run
		}
		c.mu.Unlock()
	}
	return run, nil
}

// active reports whether the notice is still being sent (not paused or
// cancelled), asking the database at most every noticeStatusTTL.
func (c *noticeRuns) active(ctx context.Context, run *noticeRun) bool {
	run.mu.Lock()
	defer run.mu.Unlock()
	if time.Since(run.checked) >= noticeStatusTTL {
		var st []string
		if err := c.svc.store.db.WithContext(ctx).Model(&Notice{}).Where("id = ?", run.n.ID).Pluck("status", &st).Error; err == nil && len(st) == 1 {
			run.status = st[0]
		}
		run.checked = time.Now()
	}
	return run.status == NoticeSending
}

// RunNotices sends scheduled notices until ctx is cancelled, with the
// outbox's options (workers, rate limiter, sender factory, lease). On
// cancellation each worker finishes the message in hand and hands its
// other claimed rows back. Several processes on one PostgreSQL database
// share the work: claims use FOR UPDATE SKIP LOCKED.
func (s *Service) RunNotices(ctx context.Context, opts OutboxOptions) error {
	opts.defaults()
	return s.runNoticeWorkers(ctx, opts, false)
}

// DrainNotices sends every notice recipient that is due now and returns
// when none is left (rows waiting for a retry later stay queued).
func (s *Service) DrainNotices(ctx context.Context, opts OutboxOptions) error {
	opts.defaults()
	return s.runNoticeWorkers(ctx, opts, true)
}

func (s *Service) runNoticeWorkers(ctx context.Context, opts OutboxOptions, drain bool) error {
	if opts.ClaimBatch > 50 {
		opts.ClaimBatch = 50
	}
	runs := &noticeRuns{svc: s, m: map[int64]*noticeRun{}}
	return s.runClaimWorkers(ctx, opts, drain, claimQueue{
		name:     "notices",
		recover:  s.store.recoverNoticeClaims,
		renew:    s.store.renewNoticeClaims,
		inFlight: s.store.noticeInFlight,
		worker:   func(ctx context.Context) error { return s.noticeWorker(ctx, opts, runs, drain) },
	})
}

func (s *Service) noticeWorker(ctx context.Context, opts OutboxOptions, runs *noticeRuns, drain bool) error {
	senders := map[string]RawSender{}
	defer func() {
		for _, snd := range senders {
			snd.Close()
		}
	}()
	lastRecover := time.Now()
	for ctx.Err() == nil {
		if time.Since(lastRecover) > time.Minute {
			lastRecover = time.Now()
			if _, err := s.store.recoverNoticeClaims(ctx, s.now().UTC()); err != nil {
				s.log.Error("recovering expired notice claims", "err", err)
			}
		}
		done := runs.writing()
		rows, err := s.store.claimNoticeRecipients(ctx, opts.Holder, opts.ClaimBatch, s.now().UTC(), opts.Lease)
		done()
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			s.log.Error("claiming notice recipients", "err", err)
			sleep(ctx, opts.Idle)
			continue
		}
		if len(rows) == 0 {
			if err := s.store.finishDoneNotices(ctx, s.now().UTC()); err != nil && ctx.Err() == nil {
				s.log.Error("closing finished notices", "err", err)
			}
			if drain {
				return nil
			}
			sleep(ctx, opts.Idle)
			continue
		}
		run, err := runs.get(ctx, rows[0].NoticeID)
		if err != nil {
			s.log.Error("loading notice", "notice", rows[0].NoticeID, "err", err)
			_ = s.store.releaseNoticeClaims(context.WithoutCancel(ctx), rows, opts.Holder)
			sleep(ctx, opts.Idle)
			continue
		}
		skips, err := s.noticeSkips(ctx, run, rows)
		if err != nil {
			if ctx.Err() != nil {
				return s.store.releaseNoticeClaims(context.WithoutCancel(ctx), rows, opts.Holder)
			}
			for _, row := range rows {
				s.retryNotice(context.WithoutCancel(ctx), row, opts, err)
			}
			continue
		}
		for i, row := range rows {
			if ctx.Err() != nil {
				return s.store.releaseNoticeClaims(context.WithoutCancel(ctx), rows[i:], opts.Holder)
			}
			if !runs.active(ctx, run) {
				// Paused or cancelled since the claim: hand the rest back.
				_ = s.store.releaseNoticeClaims(context.WithoutCancel(ctx), rows[i:], opts.Holder)
				break
			}
			s.sendNoticeRow(ctx, runs, run, row, skips[row.ID], senders, opts)
		}
	}
	return nil
}

// noticeSkips says, for each claimed row of run's notice that must not
// get it, why. It looks erasure and consent up for the whole batch with
// one query each instead of two per recipient, right before the batch is
// sent: a withdrawal made during a broadcast is honoured from the next
// batch on, at most ClaimBatch (50) messages of one worker later.
func (s *Service) noticeSkips(ctx context.Context, run *noticeRun, rows []*NoticeRecipient) (map[int64]string, error) {
	why := map[int64]string{}
	var check []*NoticeRecipient
	for _, r := range rows {
		switch {
		case r.NoticeID != run.n.ID || r.Brand != run.n.Brand:
			// A claim takes rows of one notice; this guards the queries below.
			return nil, fmt.Errorf("row %d is not of notice %d", r.ID, run.n.ID)
		case r.Email == "" || !strings.Contains(r.Email, "@"):
			why[r.ID] = "no usable address"
		case s.isOwnAddress(r.Email):
			why[r.ID] = "one of our own addresses"
		case mailbox.IsNoReplyAddress(r.Email):
			why[r.ID] = "a no-reply or mailer-daemon address"
		default:
			check = append(check, r)
		}
	}
	if len(check) == 0 {
		return why, nil
	}
	erased, err := s.store.erasedAmong(ctx, s, run.n.Brand, check)
	if err != nil {
		return nil, err
	}
	var refused map[string]bool
	if !run.n.CoreRights {
		if refused, err = s.store.refusedAmong(ctx, run.n.Brand, "notices", check); err != nil {
			return nil, err
		}
	}
	for _, r := range check {
		switch {
		case erased[r.ID]:
			why[r.ID] = "the customer's data was erased"
		case refused[mailbox.NormalizeEmail(r.Email)]:
			why[r.ID] = "the customer withdrew consent to notices"
		}
	}
	return why, nil
}

// sendNoticeRow sends one claimed recipient and records the outcome with a
// context that survives shutdown: once the server has answered, forgetting
// the answer would send the notice twice.
func (s *Service) sendNoticeRow(ctx context.Context, runs *noticeRuns, run *noticeRun, r *NoticeRecipient, why string, senders map[string]RawSender, opts OutboxOptions) {
	mark := context.WithoutCancel(ctx)
	now := s.now().UTC()
	finish := func(status, mid, reply, lastErr string) {
		defer runs.writing()()
		if err := s.store.finishNoticeRecipient(mark, r.ID, status, mid, reply, lastErr, now); err != nil {
			s.log.Error("recording notice outcome", "recipient", r.ID, "status", status, "err", err)
		}
	}
	if why != "" {
		finish(RecipientSkipped, "", "", why)
		return
	}
	m, _, err := s.noticeMail(run, r, now)
	if err != nil {
		finish(RecipientFailed, "", "", err.Error())
		return
	}
	raw, err := renderMail(m)
	if err != nil {
		finish(RecipientFailed, m.MessageID, "", "cannot build mail: "+err.Error())
		return
	}
	snd := senders[run.brand.ID]
	if snd == nil {
		if snd, err = opts.NewSender(run.brand); err != nil {
			s.retryNotice(mark, r, opts, err)
			return
		}
		senders[run.brand.ID] = snd
	}
	if opts.Limiter != nil {
		if err := opts.Limiter.Wait(ctx, r.Email); err != nil {
			_ = s.store.releaseNoticeClaims(mark, []*NoticeRecipient{r}, opts.Holder)
			return
		}
	}
	sendCtx, cancel := context.WithTimeout(mark, 2*time.Minute)
	defer cancel()
	reply, err := snd.SendRaw(sendCtx, smtpsend.Envelope{From: run.brand.Address, To: []string{r.Email}}, raw)
	switch {
	case err == nil:
		finish(RecipientSent, m.MessageID, reply, "")
	case smtpsend.IsPermanent(err):
		s.log.Warn("notice refused permanently", "notice", r.NoticeID, "recipient", r.ID, "err", err)
		finish(RecipientFailed, m.MessageID, "", err.Error())
	default:
		s.retryNotice(mark, r, opts, err)
	}
}

func (s *Service) retryNotice(ctx context.Context, r *NoticeRecipient, opts OutboxOptions, err error) {
	if r.Attempts >= opts.MaxAttempts {
		s.log.Warn("notice failed after all attempts", "recipient", r.ID, "attempts", r.Attempts, "err", err)
		if e := s.store.finishNoticeRecipient(ctx, r.ID, RecipientFailed, "", "",
			fmt.Sprintf("after %d attempts: %v", r.Attempts, err), s.now().UTC()); e != nil {
			s.log.Error("recording notice outcome", "recipient", r.ID, "err", e)
		}
		return
	}
	delay := retryDelay(r.Attempts)
	s.log.Info("temporary notice send failure; will retry", "recipient", r.ID, "attempt", r.Attempts, "retry_in", delay, "err", err)
	if e := s.store.requeueNoticeRecipient(ctx, r.ID, s.now().UTC().Add(delay), err.Error()); e != nil {
		s.log.Error("requeueing notice recipient", "recipient", r.ID, "err", e)
	}
}
