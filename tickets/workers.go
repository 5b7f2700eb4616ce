package tickets

import (
	"context"
	"errors"
	"sync"
	"time"
)

// claimQueue is a table of rows that workers claim, send and mark: the
// outbox and notice recipients. runClaimWorkers drives either.
type claimQueue struct {
	name     string                                                  // for logs
	recover  func(ctx context.Context, now time.Time) (int64, error) // requeue dead or expired claims
	renew    func(ctx context.Context, holder string, until time.Time) error
	inFlight func(ctx context.Context) (int64, error) // rows being sent by anyone
	worker   func(ctx context.Context) error          // claims and sends until done (drain) or ctx ends
}

// runClaimWorkers runs opts.Workers workers over q. One heartbeat renews all
// of this process's claims, so a send slower than the lease is never taken
// over and sent twice. When draining, it returns once nothing is due and
// nothing is in flight anywhere: rows another process is sending either get
// sent by it or, if it died, come back to us once recovered.
func (s *Service) runClaimWorkers(ctx context.Context, opts OutboxOptions, drain bool, q claimQueue) error {
	if _, err := q.recover(ctx, s.now().UTC()); err != nil {
		return err
	}
	hbCtx, stopHeartbeat := context.WithCancel(context.WithoutCancel(ctx))
	defer stopHeartbeat()
	go func() {
		t := time.NewTicker(opts.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-hbCtx.Done():
				return
			case <-t.C:
				if err := q.renew(hbCtx, opts.Holder, s.now().UTC().Add(opts.Lease)); err != nil {
					s.log.Error("renewing claims", "queue", q.name, "err", err)
				}
			}
		}
	}()
	for {
		var wg sync.WaitGroup
		errs := make([]error, opts.Workers)
		for i := 0; i < opts.Workers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = q.worker(ctx)
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil || !drain || ctx.Err() != nil {
			return err
		}
		n, err := q.inFlight(ctx)
		if err != nil || n == 0 {
			return err
		}
		sleep(ctx, opts.Idle)
		if _, err := q.recover(ctx, s.now().UTC()); err != nil {
			return err
		}
	}
}
