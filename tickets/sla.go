package tickets

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"helpdesk/config"
	"helpdesk/tickets/calendar"
)

// brandPolicy is a brand's calendar and parsed service-level targets.
type brandPolicy struct {
	cal           *calendar.Calendar
	firstResponse calendar.Duration
	resolution    map[string]calendar.Duration // by category
	rights        map[string]calendar.Duration // by rights_type
}

func buildPolicies(cfg *config.Config) (map[string]*brandPolicy, error) {
	shared, err := calendar.New(cfg.Calendar)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	out := map[string]*brandPolicy{}
	for _, b := range cfg.Brands {
		p := &brandPolicy{cal: shared, resolution: map[string]calendar.Duration{}, rights: map[string]calendar.Duration{}}
		if b.Calendar != nil {
			if p.cal, err = shared.WithOverride(*b.Calendar); err != nil {
				return nil, fmt.Errorf("brand %s calendar: %w", b.ID, err)
			}
		}
		if p.firstResponse, err = calendar.ParseDuration(b.Policy.FirstResponse); err != nil {
			return nil, fmt.Errorf("brand %s first_response: %w", b.ID, err)
		}
		for k, v := range b.Policy.Resolution {
			if p.resolution[k], err = calendar.ParseDuration(v); err != nil {
				return nil, fmt.Errorf("brand %s resolution.%s: %w", b.ID, k, err)
			}
		}
		for k, v := range b.Policy.Rights {
			if p.rights[k], err = calendar.ParseDuration(v); err != nil {
				return nil, fmt.Errorf("brand %s rights.%s: %w", b.ID, k, err)
			}
		}
		out[b.ID] = p
	}
	return out, nil
}

// Calendar returns a brand's business calendar (the shared one unless the
// brand overrides it); nil for an unknown brand.
func (s *Service) Calendar(brand string) *calendar.Calendar {
	if p := s.policies[brand]; p != nil {
		return p.cal
	}
	return nil
}

// resolutionTarget is the brand's target for the ticket's category, or for
// its rights type when it is a privacy-rights request.
func (p *brandPolicy) resolutionTarget(category, rightsType string) calendar.Duration {
	if category == "rights" {
		if d, ok := p.rights[rightsType]; ok {
			return d
		}
		// A rights request of unknown type gets the strictest rights target.
		best := calendar.Duration{}
		for _, d := range p.rights {
			if best.IsZero() || p.cal.BusinessTime(d) < p.cal.BusinessTime(best) {
				best = d
			}
		}
		return best
	}
	if d, ok := p.resolution[category]; ok {
		return d
	}
	return p.resolution["other"]
}

// applyPolicy sets a new ticket's priority and deadlines. A ticket that
// waits for identity verification gets no clock: it starts at verification
// (StartClock).
func (s *Service) applyPolicy(t *Ticket, brand *config.Brand, now time.Time) error {
	if t.Category == "rights" && t.RightsType == "complaint" {
		t.Priority = "high"
	}
	if t.Status == StatusAwaitingVerification {
		return nil
	}
	s.StartClock(t, now)
	return nil
}

// StartClock starts a ticket's service-level clock at now.
func (s *Service) StartClock(t *Ticket, now time.Time) {
	p := s.policies[t.Brand]
	if p == nil {
		return
	}
	start := now.UTC()
	t.SLAStartedAt = &start
	fr := p.cal.Due(start, p.firstResponse).UTC()
	t.FirstResponseDue = &fr
	s.recomputeResolutionDue(t)
}

// recomputeResolutionDue derives the resolution deadline from the clock's
// start, the target for the ticket's current category, and the time spent
// pending: due(due(start, target), paused) is due(start, target+paused).
func (s *Service) recomputeResolutionDue(t *Ticket) {
	p := s.policies[t.Brand]
	if p == nil || t.SLAStartedAt == nil {
		return
	}
	target := p.resolutionTarget(t.Category, t.RightsType)
	due := p.cal.Due(*t.SLAStartedAt, target)
	if target.IsBusiness() {
		due = p.cal.Due(due, calendar.OpenTime(time.Duration(t.PausedOpenNs)))
	} else {
		due = due.Add(time.Duration(t.PausedWallNs))
	}
	due = due.UTC()
	t.ResolutionDue = &due
}

// pauseClock stops the resolution clock while the ticket waits on the
// customer.
func (s *Service) pauseClock(t *Ticket, now time.Time) {
	if t.PausedAt == nil {
		n := now.UTC()
		t.PausedAt = &n
	}
}

// resumeClock adds the time the ticket spent pending to its resolution
// deadline.
func (s *Service) resumeClock(t *Ticket, now time.Time) {
	if t.PausedAt == nil {
		return
	}
	if p := s.policies[t.Brand]; p != nil {
		t.PausedOpenNs += int64(max(p.cal.Elapsed(*t.PausedAt, now), 0))
	}
	t.PausedWallNs += int64(max(now.Sub(*t.PausedAt), 0))
	t.PausedAt = nil
	s.recomputeResolutionDue(t)
}

// saveSLA writes the clock fields of t.
func saveSLA(tx *gorm.DB, t *Ticket) error {
	return tx.Model(t).Select("status", "priority", "category", "rights_type", "updated_at", "sla_started_at",
		"first_response_due", "first_response_at", "resolution_due", "resolved_at", "paused_at",
		"paused_open_ns", "paused_wall_ns", "first_response_warned", "first_response_breached",
		"warned", "breached").Updates(t).Error
}

// inZone shows an instant in the brand calendar's zone.
func (s *Service) inZone(brand string, t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := t.In(s.location(brand))
	return &v
}

func (s *Service) location(brand string) *time.Location {
	if p := s.policies[brand]; p != nil {
		return p.cal.Location()
	}
	return time.UTC
}
