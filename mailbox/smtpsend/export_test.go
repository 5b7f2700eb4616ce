package smtpsend

import "time"

// SetMaxIdle lets external tests shorten the idle limit.
func SetMaxIdle(s *Sender, d time.Duration) { s.maxIdle = d }
