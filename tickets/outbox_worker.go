package tickets

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"helpdesk/config"
	"helpdesk/mailbox/smtpsend"
)

// RawSender sends rendered mail. *smtpsend.Sender implements it. A sender
// belongs to one worker goroutine and is never shared.
type RawSender interface {
	SendRaw(ctx context.Context, env smtpsend.Envelope, raw []byte) (string, error)
	Close() error
}

// SenderFactory opens a sender for a brand's SMTP server.
type SenderFactory func(brand *config.Brand) (RawSender, error)

// OutboxOptions tunes the workers.
type OutboxOptions struct {
	Workers     int
	MaxAttempts int
	Holder      string        // who claims rows (NewHolderID)
	ClaimBatch  int           // rows a worker claims at once (default 10)
	Idle        time.Duration // sleep when nothing is due (default 500ms)
	Lease       time.Duration // how long a claim lasts unrenewed before others may retry it (default 1m)
	NewSender   SenderFactory
	Limiter     *RateLimiter // optional global and per-domain rate limits
}

func (o *OutboxOptions) defaults() {
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.ClaimBatch <= 0 {
		o.ClaimBatch = 10
	}
	if o.Idle <= 0 {
		o.Idle = 500 * time.Millisecond
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.Holder == "" {
		o.Holder = NewHolderID()
	}
}

// RunOutbox sends queued mail until ctx is cancelled. On cancellation each
// worker finishes the send in hand, marks it, and hands its other claimed
// rows back, so a clean restart sends nothing twice.
func (s *Service) RunOutbox(ctx context.Context, opts OutboxOptions) error {
	opts.defaults()
	return s.runWorkers(ctx, opts, false)
}

// DrainOutbox sends every row that is due now and returns when none is
// left (rows waiting for a retry later stay queued).
func (s *Service) DrainOutbox(ctx context.Context, opts OutboxOptions) error {
	opts.defaults()
	return s.runWorkers(ctx, opts, true)
}

func (s *Service) runWorkers(ctx context.Context, opts OutboxOptions, drain bool) error {
	return s.runClaimWorkers(ctx, opts, drain, claimQueue{
		name:     "outbox",
		recover:  s.store.recoverExpiredClaims,
		renew:    s.store.renewClaims,
		inFlight: s.store.inFlight,
		worker:   func(ctx context.Context) error { return s.outboxWorker(ctx, opts, drain) },
	})
}

func (s *Service) outboxWorker(ctx context.Context, opts OutboxOptions, drain bool) error {
	senders := map[string]RawSender{}
	defer func() {
		for _, snd := range senders {
			snd.Close()
		}
	}()
	lastRecover := time.Now()
	for ctx.Err() == nil {
		if time.Since(lastRecover) > time.Minute {
			lastRecover = time.Now()
			if _, err := s.store.recoverExpiredClaims(ctx, s.now().UTC()); err != nil {
				s.log.Error("recovering expired outbox claims", "err", err)
			}
		}
		rows, err := s.store.claimOutbox(ctx, opts.Holder, opts.ClaimBatch, s.now().UTC(), opts.Lease)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			s.log.Error("claiming outbox rows", "err", err)
			sleep(ctx, opts.Idle)
			continue
		}
		if len(rows) == 0 {
			if drain {
				return nil
			}
			sleep(ctx, opts.Idle)
			continue
		}
		raws, err := s.store.rawFor(ctx, rows)
		if err != nil {
			s.log.Error("loading claimed mail", "err", err)
			_ = s.store.releaseClaims(context.WithoutCancel(ctx), rows, opts.Holder)
			sleep(ctx, opts.Idle)
			continue
		}
		for i, row := range rows {
			if ctx.Err() != nil {
				// Shutting down: give back what we have not started.
				return s.store.releaseClaims(context.WithoutCancel(ctx), rows[i:], opts.Holder)
			}
			var raw []byte
			if row.RawID != nil {
				raw = raws[*row.RawID]
			}
			s.sendRow(ctx, row, raw, senders, opts)
		}
	}
	return nil
}

// sendRow sends one claimed row and records the outcome. The outcome is
// recorded with a context that survives shutdown: the server has answered,
// and forgetting that answer would resend the mail.
func (s *Service) sendRow(ctx context.Context, row *OutboxRow, raw []byte, senders map[string]RawSender, opts OutboxOptions) {
	mark := context.WithoutCancel(ctx)
	brand, ok := s.cfg.Brand(row.Brand)
	if !ok {
		s.finish(mark, row, OutboxFailed, "", fmt.Sprintf("brand %q is no longer configured", row.Brand))
		return
	}
	snd := senders[row.Brand]
	if snd == nil {
		var err error
		if snd, err = opts.NewSender(brand); err != nil {
			s.retryOrFail(mark, row, opts, err)
			return
		}
		senders[row.Brand] = snd
	}
	if raw == nil {
		s.finish(mark, row, OutboxFailed, "", "the rendered message is missing")
		return
	}
	if opts.Limiter != nil {
		if err := opts.Limiter.Wait(ctx, row.Rcpt); err != nil {
			_ = s.store.releaseClaims(mark, []*OutboxRow{row}, opts.Holder)
			return
		}
	}
	// A send in progress is finished even when shutdown begins: cutting it
	// off after DATA could leave a mail delivered but not marked sent.
	sendCtx, cancel := context.WithTimeout(mark, 2*time.Minute)
	defer cancel()
	reply, err := snd.SendRaw(sendCtx, smtpsend.Envelope{From: row.MailFrom, To: []string{row.Rcpt}}, raw)
	switch {
	case err == nil:
		s.finish(mark, row, OutboxSent, reply, "")
	case smtpsend.IsPermanent(err):
		s.log.Warn("mail refused permanently", "outbox_id", row.ID, "rcpt", row.Rcpt, "err", err)
		s.finish(mark, row, OutboxFailed, "", err.Error())
	default:
		s.retryOrFail(mark, row, opts, err)
	}
}

func (s *Service) retryOrFail(ctx context.Context, row *OutboxRow, opts OutboxOptions, err error) {
	if row.Attempts >= opts.MaxAttempts {
		s.log.Warn("mail failed after all attempts", "outbox_id", row.ID, "attempts", row.Attempts, "err", err)
		s.finish(ctx, row, OutboxFailed, "", fmt.Sprintf("after %d attempts: %v", row.Attempts, err))
		return
	}
	delay := retryDelay(row.Attempts)
	s.log.Info("temporary send failure; will retry", "outbox_id", row.ID, "attempt", row.Attempts, "retry_in", delay, "err", err)
	if e := s.store.requeue(ctx, row.ID, opts.Holder, s.now().UTC().Add(delay), err.Error()); e != nil {
		s.log.Error("requeueing outbox row", "outbox_id", row.ID, "err", e)
	}
}

func (s *Service) finish(ctx context.Context, row *OutboxRow, status, reply, lastErr string) {
	if err := s.store.finishOutbox(ctx, row.ID, status, reply, lastErr, s.now().UTC()); err != nil {
		s.log.Error("recording send outcome", "outbox_id", row.ID, "status", status, "err", err)
		return
	}
	if row.Kind == "verify" {
		if err := s.withholdSent(ctx, row); err != nil {
			s.log.Error("removing the code from the stored verification mail", "outbox_id", row.ID, "err", err)
		}
	}
}

// retryDelay is exponential from 30s, capped at 1h, with ±25% jitter so
// mail that failed together does not retry together.
func retryDelay(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	return d - d/4 + time.Duration(rand.Int64N(int64(d/2)+1))
}
