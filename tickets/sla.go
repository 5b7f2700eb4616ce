package tickets

import (
	"time"

	"helpdesk/config"
)

// applyPolicy sets a new ticket's deadlines from its brand's policy.
func (s *Service) applyPolicy(t *Ticket, brand *config.Brand, now time.Time) error {
	started := now
	t.SLAStartedAt = &started
	return nil
}

// resumeClock moves the resolution deadline on by the business time the
// ticket spent pending.
func (s *Service) resumeClock(t *Ticket, now time.Time) {
	t.PausedAt = nil
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
	return time.FixedZone("UTC+8", 8*3600)
}
