package tickets

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"helpdesk/config"
)

// Retention (issue 6, item 7). Per brand and kind, whatever is older than
// the brand's privacy.retention period goes:
//   - tickets: resolved or closed tickets, counted from resolution (or
//     last update), deleted with their messages, raw mail, attachments,
//     outbox rows, corrections and verification codes;
//   - raw_mail: the raw bytes of older mail (the parsed text stays), and
//     of older quarantined mail; never the raw of mail still queued;
//   - attachments: attachments of older mail.
// The dry run computes the same plan and stops before deleting, so the
// two always agree on the counts.

// RetentionCounts is what retention removes (or would) in one brand.
type RetentionCounts struct {
	Brand       string `json:"brand"`
	Tickets     int64  `json:"tickets"`
	RawMail     int64  `json:"raw_mail"`
	Attachments int64  `json:"attachments"`
}

// RetentionReport is one retention run.
type RetentionReport struct {
	DryRun bool              `json:"dry_run"`
	At     time.Time         `json:"at"`
	Brands []RetentionCounts `json:"brands"`
}

type retentionPlan struct {
	tickets, raws, quarantineRaws, attachments []int64
}

// RunRetention applies (or with dryRun only reports) every brand's
// retention periods. A real run is audited.
func (s *Service) RunRetention(ctx context.Context, dryRun bool, actor string) (*RetentionReport, error) {
	now := s.now().UTC()
	rep := &RetentionReport{DryRun: dryRun, At: now, Brands: []RetentionCounts{}}
	for i := range s.cfg.Brands {
		b := &s.cfg.Brands[i]
		var c RetentionCounts
		err := s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			p, err := s.planRetention(tx, b, now)
			if err != nil {
				return err
			}
			c = RetentionCounts{Brand: b.ID, Tickets: int64(len(p.tickets)),
				RawMail: int64(len(p.raws) + len(p.quarantineRaws)), Attachments: int64(len(p.attachments))}
			if dryRun {
				return nil
			}
			if err := applyRetention(tx, p); err != nil {
				return err
			}
			return s.audit(tx, actor, "retention.run", b.ID, "", "", c)
		})
		if err != nil {
			return nil, fmt.Errorf("retention for brand %s: %w", b.ID, err)
		}
		rep.Brands = append(rep.Brands, c)
	}
	if !dryRun {
		if err := s.store.compact(ctx); err != nil {
			s.log.Warn("retention: WAL not truncated", "err", err)
		}
	}
	return rep, nil
}

// RetentionJob is the scheduled retention run (daily at 03:30 local time).
func (s *Service) RetentionJob() Job {
	return Job{Name: "retention", Spec: "0 30 3 * * *", Run: func(ctx context.Context) error {
		rep, err := s.RunRetention(ctx, false, "scheduler")
		if err == nil {
			for _, c := range rep.Brands {
				if c.Tickets+c.RawMail+c.Attachments > 0 {
					s.log.Info("retention", "brand", c.Brand, "tickets", c.Tickets, "raw_mail", c.RawMail, "attachments", c.Attachments)
				}
			}
		}
		return err
	}}
}

func (s *Service) planRetention(tx *gorm.DB, b *config.Brand, now time.Time) (*retentionPlan, error) {
	p := &retentionPlan{}
	r := b.Privacy.Retention
	ticketAge, _ := config.ParseAge(r.ClosedTickets)
	rawAge, _ := config.ParseAge(r.RawMail)
	attAge, _ := config.ParseAge(r.Attachments)
	if ticketAge > 0 {
		cut := now.Add(-ticketAge)
		if err := tx.Model(&Ticket{}).Where("brand = ? AND status IN ? AND COALESCE(resolved_at, updated_at) < ?",
			b.ID, []string{StatusResolved, StatusClosed}, cut).Order("id").Pluck("id", &p.tickets).Error; err != nil {
			return nil, fmt.Errorf("planning tickets: %w", err)
		}
	}
	notOnDeleted := func(q *gorm.DB) *gorm.DB {
		if len(p.tickets) == 0 {
			return q
		}
		return q.Where("(m.ticket_id IS NULL OR m.ticket_id NOT IN ?)", p.tickets)
	}
	if rawAge > 0 {
		cut := now.Add(-rawAge)
		q := tx.Table("messages AS m").Where("m.brand = ? AND m.raw_id IS NOT NULL AND m.created_at < ?", b.ID, cut).
			Where("NOT EXISTS (SELECT 1 FROM outbox o WHERE o.raw_id = m.raw_id AND o.status IN ?)", []string{OutboxQueued, OutboxSending})
		if err := notOnDeleted(q).Order("m.raw_id").Pluck("m.raw_id", &p.raws).Error; err != nil {
			return nil, fmt.Errorf("planning raw mail: %w", err)
		}
		p.raws = uniq64(p.raws)
		if err := tx.Model(&Quarantine{}).Where("brand = ? AND raw_id IS NOT NULL AND created_at < ?", b.ID, cut).
			Order("raw_id").Pluck("raw_id", &p.quarantineRaws).Error; err != nil {
			return nil, fmt.Errorf("planning quarantined raw mail: %w", err)
		}
	}
	if attAge > 0 {
		cut := now.Add(-attAge)
		q := tx.Table("attachments AS a").Joins("JOIN messages m ON m.id = a.message_id").
			Where("m.brand = ? AND m.created_at < ?", b.ID, cut)
		if err := notOnDeleted(q).Order("a.id").Pluck("a.id", &p.attachments).Error; err != nil {
			return nil, fmt.Errorf("planning attachments: %w", err)
		}
	}
	return p, nil
}

func applyRetention(tx *gorm.DB, p *retentionPlan) error {
	if err := deleteTickets(tx, p.tickets); err != nil {
		return err
	}
	for _, chunk := range chunks(p.raws) {
		if err := tx.Model(&Message{}).Where("raw_id IN ?", chunk).Update("raw_id", nil).Error; err != nil {
			return err
		}
		if err := tx.Model(&OutboxRow{}).Where("raw_id IN ?", chunk).Update("raw_id", nil).Error; err != nil {
			return err
		}
	}
	for _, chunk := range chunks(p.quarantineRaws) {
		if err := tx.Model(&Quarantine{}).Where("raw_id IN ?", chunk).Update("raw_id", nil).Error; err != nil {
			return err
		}
	}
	if _, err := deleteIn(tx, &RawMessage{}, "id", append(append([]int64{}, p.raws...), p.quarantineRaws...)); err != nil {
		return err
	}
	_, err := deleteIn(tx, &Attachment{}, "id", p.attachments)
	return err
}

// deleteTickets deletes tickets and everything that hangs off them.
func deleteTickets(tx *gorm.DB, ids []int64) error {
	for _, chunk := range chunks(ids) {
		var msgs []int64
		if err := tx.Model(&Message{}).Where("ticket_id IN ?", chunk).Pluck("id", &msgs).Error; err != nil {
			return err
		}
		var raws []int64
		if err := tx.Model(&Message{}).Where("ticket_id IN ? AND raw_id IS NOT NULL", chunk).Pluck("raw_id", &raws).Error; err != nil {
			return err
		}
		var oraws []int64
		if err := tx.Model(&OutboxRow{}).Where("ticket_id IN ? AND raw_id IS NOT NULL", chunk).Pluck("raw_id", &oraws).Error; err != nil {
			return err
		}
		steps := []struct {
			model  any
			column string
			ids    []int64
		}{
			{&OutboxRow{}, "ticket_id", chunk},
			{&Correction{}, "ticket_id", chunk},
			{&VerificationCode{}, "ticket_id", chunk},
			{&Attachment{}, "message_id", msgs},
			{&Message{}, "id", msgs},
			{&RawMessage{}, "id", uniq64(append(raws, oraws...))},
			{&Ticket{}, "id", chunk},
		}
		for _, st := range steps {
			if _, err := deleteIn(tx, st.model, st.column, st.ids); err != nil {
				return err
			}
		}
	}
	return nil
}

func chunks(ids []int64) [][]int64 {
	var out [][]int64
	for len(ids) > 0 {
		n := min(len(ids), 500)
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	return out
}
