package tickets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"helpdesk/mailbox"
)

// TicketView is the JSON shape of a ticket (DESIGN.md contract).
type TicketView struct {
	Ref              string        `json:"ref"`
	Brand            string        `json:"brand"`
	Subject          string        `json:"subject"`
	Customer         string        `json:"customer"`
	CustomerName     string        `json:"customer_name,omitempty"`
	Category         string        `json:"category"`
	RightsType       *string       `json:"rights_type"`
	Status           string        `json:"status"`
	Priority         string        `json:"priority"`
	Automated        bool          `json:"automated"`
	Language         string        `json:"language"`
	Confidence       float64       `json:"confidence"`
	Reasons          []string      `json:"reasons"`
	CreatedAt        time.Time     `json:"created_at"`
	UpdatedAt        time.Time     `json:"updated_at"`
	FirstResponseDue *time.Time    `json:"first_response_due"`
	FirstResponseAt  *time.Time    `json:"first_response_at"`
	ResolutionDue    *time.Time    `json:"resolution_due"`
	ResolvedAt       *time.Time    `json:"resolved_at"`
	Breached         bool          `json:"breached"`
	Messages         []MessageView `json:"messages,omitempty"`
}

// MessageView is one mail on a ticket, ours or the customer's.
type MessageView struct {
	Direction   string           `json:"direction"`
	MessageID   string           `json:"message_id"`
	From        string           `json:"from"`
	To          []string         `json:"to"`
	Cc          []string         `json:"cc,omitempty"`
	Date        *time.Time       `json:"date"`
	Subject     string           `json:"subject"`
	Text        string           `json:"text"`
	NewText     string           `json:"new_text,omitempty"`
	Automated   bool             `json:"automated,omitempty"`
	ParseErrors []string         `json:"parse_errors,omitempty"`
	Attachments []AttachmentView `json:"attachments,omitempty"`
	Delivery    *DeliveryView    `json:"delivery,omitempty"` // our mail: what became of it
}

// DeliveryView is the outbox state of one of our mails: queued, sent
// (with the server's reply), failed (with the reason: a 5xx, a bounce, or
// attempts exhausted) or suppressed (by the loop guard or consent).
type DeliveryView struct {
	Status   string     `json:"status"`
	Attempts int        `json:"attempts"`
	Error    string     `json:"error,omitempty"`
	Reply    string     `json:"server_reply,omitempty"`
	SentAt   *time.Time `json:"sent_at,omitempty"`
}

// AttachmentView describes a stored attachment without its bytes.
type AttachmentView struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
}

// ListFilter narrows tickets list. Empty fields do not filter.
type ListFilter struct {
	Status, Category, Brand string
	DueBefore               *time.Time
	Limit                   int
}

// ErrNotFound is returned when a ticket reference does not exist.
var ErrNotFound = errors.New("not found")

// ListTickets returns tickets, soonest resolution deadline first.
func (s *Service) ListTickets(ctx context.Context, f ListFilter) ([]TicketView, error) {
	q := s.store.db.WithContext(ctx).Model(&Ticket{}).Preload("Customer")
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Brand != "" {
		q = q.Where("brand = ?", f.Brand)
	}
	if f.DueBefore != nil {
		q = q.Where("(resolution_due IS NOT NULL AND resolution_due < ?) OR (first_response_due IS NOT NULL AND first_response_at IS NULL AND first_response_due < ?)",
			f.DueBefore.UTC(), f.DueBefore.UTC())
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var ts []Ticket
	if err := q.Order("id").Find(&ts).Error; err != nil {
		return nil, fmt.Errorf("listing tickets: %w", err)
	}
	out := make([]TicketView, 0, len(ts))
	for i := range ts {
		out = append(out, s.view(&ts[i]))
	}
	return out, nil
}

// ShowTicket returns one ticket with every message on it.
func (s *Service) ShowTicket(ctx context.Context, ref string) (*TicketView, error) {
	t, err := s.ticketByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	v := s.view(t)
	var msgs []Message
	if err := s.store.db.WithContext(ctx).Where("ticket_id = ?", t.ID).Order("id").Find(&msgs).Error; err != nil {
		return nil, fmt.Errorf("loading messages of %s: %w", ref, err)
	}
	ids := make([]int64, len(msgs))
	for i := range msgs {
		ids[i] = msgs[i].ID
	}
	var atts []Attachment
	if err := s.store.db.WithContext(ctx).Select("id, message_id, filename, content_type, size").
		Where("message_id IN ?", ids).Order("id").Find(&atts).Error; err != nil {
		return nil, fmt.Errorf("loading attachments of %s: %w", ref, err)
	}
	var rows []OutboxRow
	if err := s.store.db.WithContext(ctx).Where("ticket_id = ?", t.ID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("loading deliveries of %s: %w", ref, err)
	}
	delivery := map[int64]*DeliveryView{}
	for _, r := range rows {
		if r.MessageRowID != nil {
			delivery[*r.MessageRowID] = &DeliveryView{Status: r.Status, Attempts: r.Attempts, Error: r.LastError,
				Reply: r.ServerReply, SentAt: r.SentAt}
		}
	}
	byMsg := map[int64][]AttachmentView{}
	for _, a := range atts {
		byMsg[a.MessageID] = append(byMsg[a.MessageID], AttachmentView{a.Filename, a.ContentType, a.Size})
	}
	for i := range msgs {
		m := &msgs[i]
		mv := MessageView{
			Direction: m.Direction, MessageID: m.MessageID, From: m.FromEmail,
			To: emails(m.ToAddrs), Cc: emails(m.CcAddrs), Date: m.Date, Subject: m.Subject,
			Text: m.Text, NewText: m.FullNewText(), Automated: m.Automated,
			ParseErrors: stringList(m.ParseErrors), Attachments: byMsg[m.ID], Delivery: delivery[m.ID],
		}
		if mv.Date == nil {
			d := m.CreatedAt
			mv.Date = &d
		}
		v.Messages = append(v.Messages, mv)
	}
	return &v, nil
}

func (s *Service) ticketByRef(ctx context.Context, ref string) (*Ticket, error) {
	var t Ticket
	err := s.store.db.WithContext(ctx).Preload("Customer").Where("ref = ?", strings.ToUpper(strings.TrimSpace(ref))).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("ticket %s: %w", ref, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("loading ticket %s: %w", ref, err)
	}
	return &t, nil
}

func (s *Service) view(t *Ticket) TicketView {
	v := TicketView{
		Ref: t.Ref, Brand: t.Brand, Subject: t.Subject, Category: t.Category, Status: t.Status,
		Priority: t.Priority, Automated: t.Automated, Language: t.Language, Confidence: t.Confidence,
		Reasons: stringList(t.Reasons), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		FirstResponseDue: s.inZone(t.Brand, t.FirstResponseDue), FirstResponseAt: s.inZone(t.Brand, t.FirstResponseAt),
		ResolutionDue: s.inZone(t.Brand, t.ResolutionDue), ResolvedAt: s.inZone(t.Brand, t.ResolvedAt),
		Breached: t.Breached || t.FirstResponseBreached,
	}
	v.CreatedAt = *s.inZone(t.Brand, &v.CreatedAt)
	v.UpdatedAt = *s.inZone(t.Brand, &v.UpdatedAt)
	if t.RightsType != "" {
		rt := t.RightsType
		v.RightsType = &rt
	}
	if t.Customer != nil {
		v.Customer, v.CustomerName = t.Customer.Email, t.Customer.Name
	}
	return v
}

func emails(js string) []string {
	var as []mailbox.Address
	_ = json.Unmarshal([]byte(js), &as)
	out := make([]string, 0, len(as))
	for _, a := range as {
		out = append(out, a.Email)
	}
	return out
}

func stringList(js string) []string {
	var out []string
	_ = json.Unmarshal([]byte(js), &out)
	if out == nil {
		out = []string{}
	}
	return out
}
