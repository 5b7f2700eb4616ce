package tickets

import (
	"context"
	"strings"
	"sync"
	"time"
)

// RateLimiter spaces sends globally and per recipient domain. A zero rate
// means unlimited. It is shared by all outbox workers of a process.
type RateLimiter struct {
	global    float64
	perDomain float64
	mu        sync.Mutex
	next      time.Time
	domains   map[string]time.Time
}

// NewRateLimiter returns nil when both rates are zero (unlimited).
func NewRateLimiter(global, perDomain float64) *RateLimiter {
	if global <= 0 && perDomain <= 0 {
		return nil
	}
	return &RateLimiter{global: global, perDomain: perDomain, domains: map[string]time.Time{}}
}

// Wait blocks until a mail to rcpt may go, or ctx ends.
func (l *RateLimiter) Wait(ctx context.Context, rcpt string) error {
	_, domain, _ := strings.Cut(strings.ToLower(rcpt), "@")
	l.mu.Lock()
	now := time.Now()
	at := now
	if l.global > 0 && l.next.After(at) {
		at = l.next
	}
	if l.perDomain > 0 && l.domains[domain].After(at) {
		at = l.domains[domain]
	}
	// Reserve the slot now so concurrent workers queue behind it.
	if l.global > 0 {
		l.next = at.Add(time.Duration(float64(time.Second) / l.global))
	}
	if l.perDomain > 0 {
		l.domains[domain] = at.Add(time.Duration(float64(time.Second) / l.perDomain))
		if len(l.domains) > 10000 {
			for d, t := range l.domains {
				if t.Before(now) {
					delete(l.domains, d)
				}
			}
		}
	}
	l.mu.Unlock()
	if d := time.Until(at); d > 0 {
		return sleepErr(ctx, d)
	}
	return ctx.Err()
}
