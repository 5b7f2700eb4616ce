package tickets

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"helpdesk/mailbox"
	"helpdesk/mailbox/smtpsend"
	"helpdesk/templates"
)

// Categories and rights types (DESIGN.md contract).
var (
	categories  = []string{"product", "logistics", "rights", "other"}
	rightsTypes = []string{"access", "correction", "deletion", "consent_withdrawal", "complaint"}
)

// ErrInvalid marks a request an agent must fix (a bad category, say).
var ErrInvalid = errors.New("invalid request")

// ReplyOptions is an agent's reply: free text or a named template.
type ReplyOptions struct {
	Body        string
	Template    string // e.g. "resolved"; used when Body is empty
	Status      string // "", StatusPending or StatusResolved
	Agent       string
	Attachments []smtpsend.Attachment
}

// Reply records an agent's reply on the ticket as an outgoing message,
// queues it (a person's reply: no Auto-Submitted, never rate-limited),
// stamps the first response, and applies the status change, all in one
// transaction.
func (s *Service) Reply(ctx context.Context, ref string, o ReplyOptions) (*OutboxRow, error) {
	if o.Status != "" && o.Status != StatusPending && o.Status != StatusResolved {
		return nil, fmt.Errorf("%w: --status must be pending or resolved (got %q)", ErrInvalid, o.Status)
	}
	if strings.TrimSpace(o.Body) == "" && o.Template == "" {
		return nil, fmt.Errorf("%w: a reply needs a body or a template", ErrInvalid)
	}
	t, err := s.ticketByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	brand, ok := s.cfg.Brand(t.Brand)
	if !ok {
		return nil, fmt.Errorf("ticket %s belongs to unconfigured brand %q", t.Ref, t.Brand)
	}
	if t.Status == StatusAwaitingVerification {
		return s.replyUnverified(ctx, t, brand, o) // only a new verification mail may go
	}
	var row *OutboxRow
	err = s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		last, refs, err := threadOf(tx, t.ID)
		if err != nil {
			return err
		}
		d := s.ticketData(brand, t, t.Customer)
		name := templates.NameReply
		if strings.TrimSpace(o.Body) != "" {
			d.Body = o.Body
			if last != nil {
				d.Quoted = last.FullNewText()
			}
		} else {
			name = o.Template
			if !s.templates[brand.ID].Has(name) {
				return fmt.Errorf("%w: no template named %q", ErrInvalid, name)
			}
		}
		r, err := s.templates[brand.ID].Render(name, replyLanguage(t, t.Customer), d)
		if err != nil {
			return fmt.Errorf("rendering %s: %w", name, err)
		}
		to := mailbox.Address{Email: t.Customer.Email, Name: t.Customer.Name}
		out := Outgoing{Brand: brand, Ticket: t, Kind: "reply", To: to, Subject: r.Subject,
			Text: r.Text, HTML: r.HTML, References: refs, Attachments: o.Attachments}
		if last != nil {
			out.InReplyTo = last.MessageID
		}
		if row, err = s.enqueue(tx, out); err != nil {
			return err
		}
		now := s.now().UTC()
		if t.FirstResponseAt == nil {
			t.FirstResponseAt = &now
		}
		switch o.Status {
		case StatusPending:
			t.Status = StatusPending
			s.pauseClock(t, now)
		case StatusResolved:
			t.Status = StatusResolved
			t.ResolvedAt = &now
			s.pauseClock(t, now)
		}
		t.UpdatedAt = now
		return saveSLA(tx, t)
	})
	if err != nil {
		return nil, err
	}
	return row, nil
}

// threadOf returns the customer's latest message on the ticket and the
// References chain of the whole thread, oldest first.
func threadOf(tx *gorm.DB, ticketID int64) (*Message, []string, error) {
	var msgs []Message
	if err := tx.Select("id, direction, message_id, text, new_text, quoted, signature, automated").Where("ticket_id = ?", ticketID).
		Order("id").Find(&msgs).Error; err != nil {
		return nil, nil, fmt.Errorf("loading thread: %w", err)
	}
	var last *Message
	var refs []string
	for i := range msgs {
		m := &msgs[i]
		if m.MessageID != "" {
			refs = append(refs, m.MessageID)
		}
		if m.Direction == DirectionIn && !m.Automated {
			last = m
		}
	}
	return last, refs, nil
}

// SetCategory is an agent's correction of a ticket's classification. It
// is stored for `classify train`, and the deadlines move to the new
// category's targets.
func (s *Service) SetCategory(ctx context.Context, ref, category, rightsType, agent string) (*TicketView, error) {
	if !contains(categories, category) {
		return nil, fmt.Errorf("%w: category must be one of %s (got %q)", ErrInvalid, strings.Join(categories, ", "), category)
	}
	if category == "rights" && !contains(rightsTypes, rightsType) {
		return nil, fmt.Errorf("%w: a rights ticket needs --rights-type, one of %s", ErrInvalid, strings.Join(rightsTypes, ", "))
	}
	if category != "rights" && rightsType != "" {
		return nil, fmt.Errorf("%w: --rights-type applies only to category rights", ErrInvalid)
	}
	t, err := s.ticketByRef(ctx, ref)
	if err != nil {
		return nil, err
	}
	err = s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var first []int64
		if err := tx.Model(&Message{}).Where("ticket_id = ? AND direction = ?", t.ID, DirectionIn).
			Order("id").Limit(1).Pluck("id", &first).Error; err != nil {
			return err
		}
		c := Correction{TicketID: t.ID, OldCategory: t.Category, OldRightsType: t.RightsType,
			Category: category, RightsType: rightsType, Agent: agent, CreatedAt: s.now().UTC()}
		if len(first) > 0 {
			c.MessageRowID = &first[0]
		}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("storing correction: %w", err)
		}
		t.Category, t.RightsType = category, rightsType
		t.Priority = "normal"
		if category == "rights" && rightsType == "complaint" {
			t.Priority = "high"
		}
		s.recomputeResolutionDue(t)
		t.UpdatedAt = s.now().UTC()
		return saveSLA(tx, t)
	})
	if err != nil {
		return nil, err
	}
	return s.ShowTicket(ctx, ref)
}

// Corrections returns every stored correction with the subject and new
// text of the message it corrects, for training.
func (s *Service) Corrections(ctx context.Context) ([]CorrectionExample, error) {
	var out []CorrectionExample
	err := s.store.db.WithContext(ctx).Table("classification_corrections AS c").
		Select("c.category, c.rights_type, m.subject, m.new_text, m.text").
		Joins("JOIN messages m ON m.id = c.message_row_id").Order("c.id").Scan(&out).Error
	return out, err
}

// CorrectionExample is one corrected message.
type CorrectionExample struct {
	Category, RightsType, Subject, NewText, Text string
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
