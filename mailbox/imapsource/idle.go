package imapsource

import (
	"context"
	"errors"
	"time"
)

// MaxIdle is the longest single IDLE command. RFC 2177 asks clients to
// re-issue IDLE at least every 29 minutes because servers may drop idle
// connections after 30; a margin keeps NAT boxes and impatient servers happy.
const MaxIdle = 25 * time.Minute

// WaitForNew blocks until the server reports new messages in the folder,
// maxWait passes, or ctx is done, whichever comes first. It returns nil in
// the first two cases (the caller then runs NewUIDs either way), the
// context's error (wrapped in *Error) in the third, and a Temporary *Error
// when the connection fails.
//
// With IDLE it waits for an EXISTS response that grows the message count,
// re-issuing IDLE every MaxIdle. New mail that arrived since the last
// NewUIDs (noticed during a FETCH, say) makes it return at once. Without
// IDLE it simply sleeps, and the caller polls.
func (s *Session) WaitForNew(ctx context.Context, maxWait time.Duration) error {
	select {
	case <-s.newMail:
		return nil
	default:
	}
	deadline := time.Now().Add(maxWait)
	if !s.SupportsIdle() {
		t := time.NewTimer(maxWait)
		defer t.Stop()
		select {
		case <-t.C:
			return nil
		case <-ctx.Done():
			return wrap(ctx, "idle", ctx.Err())
		}
	}
	for {
		chunk := min(time.Until(deadline), MaxIdle)
		if chunk <= 0 {
			return nil
		}
		woke, err := s.idleOnce(ctx, chunk)
		if err != nil || woke {
			return err
		}
	}
}

// idleOnce runs one IDLE command for at most d. woke reports new mail.
func (s *Session) idleOnce(ctx context.Context, d time.Duration) (woke bool, err error) {
	idle, err := s.client.Idle()
	if err != nil {
		return false, wrap(ctx, "idle", err)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	var result error
	select {
	case <-s.newMail:
		woke = true
	case <-timer.C:
	case <-ctx.Done():
		result = wrap(ctx, "idle", ctx.Err())
	case <-s.client.Closed():
		result = &Error{Temporary: true, Op: "idle", Err: errors.New("connection closed by server")}
	}
	// End IDLE with DONE and wait for the server's OK; a server that does
	// not answer costs the connection, not the caller's goroutine.
	guard := time.AfterFunc(closeGrace, func() { s.conn.Close() })
	defer guard.Stop()
	closeErr := idle.Close()
	if closeErr == nil {
		closeErr = idle.Wait()
	}
	if result != nil {
		return false, result
	}
	if closeErr != nil {
		return false, wrap(ctx, "idle", closeErr)
	}
	return woke, nil
}
