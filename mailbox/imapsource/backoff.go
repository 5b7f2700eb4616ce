package imapsource

import (
	"math/rand/v2"
	"time"
)

// Default backoff bounds for a zero Backoff.
const (
	DefaultBackoffMin = time.Second
	DefaultBackoffMax = 5 * time.Minute
)

// Backoff computes reconnect delays: capped exponential growth with
// "decorrelated jitter" (each delay is drawn uniformly from [Min, 3 x the
// previous delay], capped at Max). The jitter spreads out the reconnects of
// many daemons after a shared outage; unlike "full jitter" the delay never
// drops below Min, so a flapping server is not hammered.
//
// The zero value is usable (1s .. 5min). A Backoff is not safe for
// concurrent use; give each reconnect loop its own.
type Backoff struct {
	Min, Max time.Duration

	// Int64N returns a uniform random number in [0, n). Nil uses
	// math/rand/v2 (automatically seeded); tests inject a fixed source.
	Int64N func(n int64) int64

	prev time.Duration
}

func (b *Backoff) bounds() (lo, hi time.Duration) {
	lo, hi = b.Min, b.Max
	if lo <= 0 {
		lo = DefaultBackoffMin
	}
	if hi <= 0 {
		hi = DefaultBackoffMax
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// Next returns the delay before the next attempt.
func (b *Backoff) Next() time.Duration {
	lo, hi := b.bounds()
	if b.prev < lo {
		// First attempt after a reset: start at Min exactly, so a transient
		// blip is retried quickly.
		b.prev = lo
		return lo
	}
	upper := b.prev * 3
	if upper > hi || upper < b.prev { // cap, and guard overflow
		upper = hi
	}
	d := lo
	if span := int64(upper - lo); span > 0 {
		intn := b.Int64N
		if intn == nil {
			intn = rand.Int64N
		}
		d += time.Duration(intn(span + 1))
	}
	b.prev = d
	return d
}

// Reset starts over at Min; call it after a session has worked for a while.
func (b *Backoff) Reset() { b.prev = 0 }
