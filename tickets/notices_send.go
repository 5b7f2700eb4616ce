package tickets

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

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
