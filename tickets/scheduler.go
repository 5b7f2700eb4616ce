package tickets

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
	"gorm.io/gorm"

	"helpdesk/mailbox"
	"helpdesk/templates"
	"helpdesk/tickets/calendar"
)

// Scheduler runs the periodic jobs. cron's default chain is empty, so a
// panicking job would kill the daemon: every job is wrapped in Recover
// (log and carry on) and SkipIfStillRunning (a slow run is never stacked).
type Scheduler struct {
	cron *cron.Cron
	svc  *Service
	ctx  context.Context
}

// Job is one scheduled task.
type Job struct {
	Name string
	Spec string // cron spec with seconds, or "@every 30s"
	Run  func(ctx context.Context) error
}

// NewScheduler builds a scheduler for jobs; the SLA check runs every 20
// seconds, so a breach is noticed well within a minute of its deadline.
func (s *Service) NewScheduler(extra ...Job) (*Scheduler, error) {
	logger := cronLogger{s.log}
	c := cron.New(cron.WithSeconds(), cron.WithLogger(logger),
		cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	sc := &Scheduler{cron: c, svc: s}
	jobs := append([]Job{{Name: "sla", Spec: "@every 20s", Run: s.CheckSLA}, s.RetentionJob(), s.WithholdJob()}, extra...)
	for _, j := range jobs {
		if _, err := c.AddFunc(j.Spec, func() {
			if sc.ctx == nil || sc.ctx.Err() != nil {
				return
			}
			if err := j.Run(sc.ctx); err != nil && sc.ctx.Err() == nil {
				s.log.Error("scheduled job failed", "job", j.Name, "err", err)
			}
		}); err != nil {
			return nil, fmt.Errorf("scheduling %s (%q): %w", j.Name, j.Spec, err)
		}
	}
	return sc, nil
}

// Run starts the jobs and blocks until ctx ends, then waits for running
// jobs to finish (they see ctx cancelled).
func (sc *Scheduler) Run(ctx context.Context) {
	sc.ctx = ctx
	sc.cron.Start()
	<-ctx.Done()
	<-sc.cron.Stop().Done()
}

// cronLogger adapts slog to cron.Logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}

// CheckSLA warns the agents about deadlines within the warning lead and
// tells them about deadlines that passed, once each, by mail to
// agents.address, and flags the ticket.
func (s *Service) CheckSLA(ctx context.Context) error {
	now := s.now().UTC()
	var ts []Ticket
	err := s.store.db.WithContext(ctx).Preload("Customer").
		Where("status IN ? AND ((first_response_at IS NULL AND first_response_due IS NOT NULL AND NOT first_response_breached) OR (paused_at IS NULL AND resolution_due IS NOT NULL AND NOT breached))",
			[]string{StatusOpen, StatusAwaitingVerification}).
		Find(&ts).Error
	if err != nil {
		return fmt.Errorf("loading open tickets: %w", err)
	}
	lead, _ := calendar.ParseDuration(s.cfg.Agents.WarnBefore)
	for i := range ts {
		if err := s.checkTicketSLA(ctx, &ts[i], now, lead); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) checkTicketSLA(ctx context.Context, t *Ticket, now time.Time, lead calendar.Duration) error {
	p := s.policies[t.Brand]
	if p == nil {
		return nil
	}
	near := func(due time.Time) bool {
		if lead.IsBusiness() {
			return p.cal.Elapsed(now, due) <= p.cal.BusinessTime(lead)
		}
		return due.Sub(now) <= lead.Wall()
	}
	type event struct {
		flag    *bool
		tmpl    string
		due     time.Time
		dueKind string
	}
	var events []event
	if t.FirstResponseAt == nil && t.FirstResponseDue != nil {
		due := *t.FirstResponseDue
		switch {
		case !now.Before(due) && !t.FirstResponseBreached:
			events = append(events, event{&t.FirstResponseBreached, templates.NameSLABreach, due, "first_response"})
		case !t.FirstResponseWarned && now.Before(due) && near(due):
			events = append(events, event{&t.FirstResponseWarned, templates.NameSLAWarning, due, "first_response"})
		}
	}
	if t.PausedAt == nil && t.ResolutionDue != nil {
		due := *t.ResolutionDue
		switch {
		case !now.Before(due) && !t.Breached:
			events = append(events, event{&t.Breached, templates.NameSLABreach, due, "resolution"})
		case !t.Warned && now.Before(due) && near(due):
			events = append(events, event{&t.Warned, templates.NameSLAWarning, due, "resolution"})
		}
	}
	if len(events) == 0 {
		return nil
	}
	brand, ok := s.cfg.Brand(t.Brand)
	if !ok {
		return nil
	}
	return s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, e := range events {
			*e.flag = true
			if s.cfg.Agents.Address == "" {
				continue
			}
			d := s.ticketData(brand, t, t.Customer)
			d.Due, d.DueKind = e.due.In(p.cal.Location()), e.dueKind
			d.TicketURL = s.ticketURL(t.Ref)
			r, err := s.templates[brand.ID].Render(e.tmpl, brand.Language, d)
			if err != nil {
				return fmt.Errorf("rendering %s: %w", e.tmpl, err)
			}
			// Internal mail: not on the customer's thread, not automatic
			// (the loop guard would stop mail to our own agents address).
			if _, err := s.enqueue(tx, Outgoing{Brand: brand, Kind: "agent", To: mailbox.Address{Email: s.cfg.Agents.Address},
				Subject: r.Subject, Text: r.Text, AutoSubmitted: "auto-generated"}); err != nil {
				return err
			}
			s.log.Info("SLA "+e.tmpl, "ticket", t.Ref, "due", e.due, "kind", e.dueKind)
		}
		return tx.Model(t).Select("first_response_warned", "first_response_breached", "warned", "breached").Updates(t).Error
	})
}

func (s *Service) ticketURL(ref string) string {
	base := s.cfg.HTTP.BaseURL
	if base == "" {
		base = "http://" + s.cfg.HTTP.Listen
	}
	return base + "/tickets/" + ref
}
