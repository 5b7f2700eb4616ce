package tickets

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/mailbox/smtpsend"
)

// Outbox statuses.
const (
	OutboxQueued     = "queued"     // waiting for a worker (maybe after a temporary failure)
	OutboxSending    = "sending"    // claimed by a worker until claimed_until
	OutboxSent       = "sent"       // accepted by the server; server_reply holds its answer
	OutboxFailed     = "failed"     // permanent failure or out of attempts; last_error says why
	OutboxSuppressed = "suppressed" // never sent: the loop guard stopped it; last_error says why
)

// OutboxRow is one outgoing mail. It is written in the same transaction as
// the state change that caused it, so a mail is never lost between the
// decision to send and the sending, and it is sent by an outbox worker.
type OutboxRow struct {
	ID            int64 `gorm:"primaryKey"`
	Brand         string
	TicketID      *int64
	MessageRowID  *int64
	Kind          string // ack, reply, resolved, verify, notice, agent
	Automatic     bool   // automatic mail: loop guard and per-recipient caps apply
	MailFrom      string
	Rcpt          string
	MessageID     string
	Subject       string
	RawID         *int64
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	ClaimedBy     string
	ClaimedUntil  *time.Time
	LastError     string
	ServerReply   string
	SentAt        *time.Time
	CreatedAt     time.Time
}

// TableName is the migration's table name.
func (OutboxRow) TableName() string { return "outbox" }

// Outgoing is a mail to enqueue.
type Outgoing struct {
	Brand         *config.Brand
	Ticket        *Ticket // nil for mail about no ticket (agents' notices)
	Kind          string
	Automatic     bool // sent by the system, not typed by a person
	To            mailbox.Address
	Subject       string
	Text, HTML    string
	InReplyTo     string
	References    []string
	AutoSubmitted string
	Headers       [][2]string
	Attachments   []smtpsend.Attachment
	// Code and Token are a verification mail's one-time code and link
	// token: the mail carries them, our copy of it does not (see
	// privacy_withhold.go).
	Code, Token string
}

// enqueue renders the mail, stores our copy as an outgoing message on the
// ticket (so the customer's reply threads by its Message-ID), and queues
// it. Automatic mail to robots, to our own addresses, or beyond the
// per-recipient caps is recorded as suppressed instead, and never sent.
func (s *Service) enqueue(tx *gorm.DB, o Outgoing) (*OutboxRow, error) {
	return s.queue(tx, s.newOutgoingMail(o))
}

// outgoingMail is a mail on its way into the outbox: its message and
// outbox row built, its bytes rendered when queued or, after startRender,
// beside the caller.
type outgoingMail struct {
	Outgoing
	mail      *smtpsend.Mail
	row       *OutboxRow
	now       time.Time
	rendered  chan struct{} // closed once raw and renderErr are set; nil without startRender
	raw       []byte
	renderErr error
}

func (s *Service) newOutgoingMail(o Outgoing) *outgoingMail {
	now := s.now().UTC()
	ref := ""
	if o.Ticket != nil {
		ref = o.Ticket.Ref
	}
	mid := newMessageID(o.Brand.Address, ref)
	from := mailbox.Address{Name: o.Brand.Name, Email: o.Brand.Address}
	replyTo := from
	g := &outgoingMail{Outgoing: o, now: now}
	g.mail = &smtpsend.Mail{
		From: from, To: []mailbox.Address{o.To}, ReplyTo: &replyTo, Subject: o.Subject,
		MessageID: mid, InReplyTo: o.InReplyTo, References: o.References,
		AutoSubmitted: o.AutoSubmitted, Headers: o.Headers, Date: now,
		Text: o.Text, HTML: o.HTML, Attachments: o.Attachments,
	}
	g.row = &OutboxRow{
		Brand: o.Brand.ID, Kind: o.Kind, Automatic: o.Automatic, MailFrom: o.Brand.Address,
		Rcpt: mailbox.NormalizeEmail(o.To.Email), MessageID: mid, Subject: clean(o.Subject),
		Status: OutboxQueued, NextAttemptAt: now, CreatedAt: now,
	}
	if o.Ticket != nil {
		g.row.TicketID = &o.Ticket.ID
	}
	return g
}

// startRender renders the mail on another goroutine; queue collects the
// bytes. Nothing may change the mail after this.
func (g *outgoingMail) startRender() {
	g.rendered = make(chan struct{})
	go func() {
		g.raw, g.renderErr = smtpsend.Render(g.mail)
		close(g.rendered)
	}()
}

func (g *outgoingMail) render() ([]byte, error) {
	if g.rendered == nil {
		return smtpsend.Render(g.mail)
	}
	<-g.rendered
	return g.raw, g.renderErr
}

// queue stores g as enqueue describes.
func (s *Service) queue(tx *gorm.DB, g *outgoingMail) (*OutboxRow, error) {
	o, row, now := g.Outgoing, g.row, g.now
	mid, ref := row.MessageID, ""
	if o.Ticket != nil {
		ref = o.Ticket.Ref
	}
	suppress := func(reason string) (*OutboxRow, error) {
		row.Status, row.LastError = OutboxSuppressed, clean(reason)
		s.log.Info("automatic mail suppressed", "kind", o.Kind, "ticket", ref, "reason", reason)
		return row, s.insertOutbox(tx, row)
	}
	if ok, why, err := s.consentAllows(tx, o); err != nil {
		return nil, err
	} else if !ok {
		return suppress(why)
	}
	if o.Automatic {
		reason, err := s.loopGuard(tx, row.Rcpt, now)
		if err != nil {
			return nil, err
		}
		if reason != "" {
			return suppress(reason)
		}
	}
	raw, err := g.render()
	if err != nil {
		if o.Automatic {
			// Automatic mail to an unusable address must not stop the
			// customer's message from being stored.
			return suppress("cannot build mail: " + err.Error())
		}
		return nil, fmt.Errorf("rendering %s mail: %w", o.Kind, err)
	}
	msg := &Message{
		Brand: o.Brand.ID, TicketID: row.TicketID, Direction: DirectionOut, MessageID: mid,
		DedupeKey: "mid:" + mid, FromEmail: mailbox.NormalizeEmail(o.Brand.Address), FromName: clean(o.Brand.Name),
		ToAddrs: jsonString([]mailbox.Address{o.To}), CcAddrs: "[]", Subject: clean(o.Subject), Date: &now,
		InReplyTo: o.InReplyTo, Refs: strings.Join(o.References, " "), Text: clean(withhold(o.Text, o.Code, o.Token)),
		Automated: o.Automatic, AutomatedReasons: "[]", ParseErrors: "[]",
		Size: int64(len(raw)), Reasons: "[]", CreatedAt: now,
	}
	if s.mergeRawPG(raw) {
		if err := s.queueWithRaw(tx, msg, row, raw); err != nil {
			return nil, err
		}
		return row, nil
	}
	rawID, err := s.insertRaw(tx, raw)
	if err != nil {
		return nil, err
	}
	row.RawID, msg.RawID = &rawID, &rawID
	if ok, err := s.insertMessage(tx, msg); err != nil || !ok {
		return nil, fmt.Errorf("storing outgoing message %s: %w (inserted %v)", mid, err, ok)
	}
	row.MessageRowID = &msg.ID
	if err := s.insertOutbox(tx, row); err != nil {
		return nil, err
	}
	return row, nil
}

// loopGuard says why automatic mail to rcpt must not go, or "".
func (s *Service) loopGuard(tx *gorm.DB, rcpt string, now time.Time) (string, error) {
	switch {
	case rcpt == "":
		return "no recipient address", nil
	case s.isOwnAddress(rcpt):
		return "recipient is one of our own addresses", nil
	case mailbox.IsNoReplyAddress(rcpt):
		return "recipient is a no-reply or mailer-daemon address", nil
	}
	perHour, perDay := s.cfg.Outbox.AutoPerHour, s.cfg.Outbox.AutoPerDay
	if perHour <= 0 && perDay <= 0 {
		return "", nil
	}
	// One query counts both windows: it runs for every acknowledgement.
	var day, hour int64
	if err := queryRow(tx, s.store.driver, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN created_at > ? THEN 1 ELSE 0 END), 0)
		FROM outbox WHERE rcpt = ? AND automatic = ? AND status <> ? AND created_at > ?`,
		[]any{&day, &hour}, now.Add(-time.Hour), rcpt, true, OutboxSuppressed, now.Add(-24*time.Hour)); err != nil {
		return "", fmt.Errorf("checking automatic-mail rate: %w", err)
	}
	switch {
	case perHour > 0 && hour >= int64(perHour):
		return fmt.Sprintf("per-recipient limit of %d automatic mails per hour reached", perHour), nil
	case perDay > 0 && day >= int64(perDay):
		return fmt.Sprintf("per-recipient limit of %d automatic mails per day reached", perDay), nil
	}
	return "", nil
}

// newMessageID makes a Message-ID on the brand's domain that carries the
// ticket reference (for humans reading headers) and 96 random bits (so a
// stranger cannot guess it and thread into someone else's ticket).
func newMessageID(address, ref string) string {
	domain := "helpdesk.invalid"
	if _, d, ok := strings.Cut(address, "@"); ok && d != "" {
		domain = d
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	if ref == "" {
		return hex.EncodeToString(b) + "@" + domain
	}
	return strings.ToLower(ref) + "." + hex.EncodeToString(b) + "@" + domain
}
