package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"helpdesk/config"
	"helpdesk/tickets"
)

func ingestOptions(cfg *config.Config) tickets.IngestOptions {
	return tickets.IngestOptions{
		BatchSize:       cfg.Ingest.BatchSize,
		BatchInterval:   cfg.Ingest.BatchInterval.Std(),
		MaxMessageBytes: cfg.Ingest.MaxMessageBytes,
	}
}

// runServe is the daemon. On SIGINT/SIGTERM it stops fetching, lets the
// batch in hand commit, and closes the store.
func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "serve")
	_, a, err := fs.openWith(ctx, env, args, 0, "no arguments")
	if err != nil {
		return err
	}
	defer a.Close()
	return serveApp(ctx, a, tickets.DialIMAP, tickets.SMTPSenders(a.log))
}

func outboxOptions(cfg *config.Config, holder string, senders tickets.SenderFactory) tickets.OutboxOptions {
	return tickets.OutboxOptions{Workers: cfg.Outbox.Workers, MaxAttempts: cfg.Outbox.MaxAttempts, Holder: holder,
		NewSender: senders, Limiter: tickets.NewRateLimiter(cfg.Outbox.RatePerSecond, cfg.Outbox.PerDomainPerSecond)}
}

// serveApp runs every part of the daemon until ctx is cancelled.
func serveApp(ctx context.Context, a *app, dial tickets.Dialer, senders tickets.SenderFactory) error {
	holder := tickets.NewHolderID()
	a.log.Info("helpdesk serving", "brands", len(a.cfg.Brands), "db", a.cfg.Database.Driver, "holder", holder)
	sched, err := a.svc.NewScheduler()
	if err != nil {
		return err
	}
	oo := outboxOptions(a.cfg, holder, senders) // one rate limiter for replies and notices
	var wg sync.WaitGroup
	wg.Add(4)
	go func() {
		defer wg.Done()
		if err := a.svc.RunNotices(ctx, oo); err != nil {
			a.log.Error("notices stopped", "err", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := a.svc.ServeHTTP(ctx, a.cfg.HTTP.Listen); err != nil {
			a.log.Error("http stopped", "err", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := a.svc.RunOutbox(ctx, oo); err != nil {
			a.log.Error("outbox stopped", "err", err)
		}
	}()
	go func() {
		defer wg.Done()
		sched.Run(ctx)
	}()
	for i := range a.cfg.Brands {
		b := &a.cfg.Brands[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.svc.RunMailbox(ctx, b, dial, holder, ingestOptions(a.cfg)); err != nil {
				a.log.Error("mailbox stopped", "brand", b.ID, "err", err)
			}
		}()
	}
	<-ctx.Done()
	a.log.Info("shutting down: finishing the work in hand")
	wg.Wait()
	a.log.Info("stopped")
	return nil
}

// runPoll is `poll --once`: one ingest pass per brand, then drain the
// outbox. A brand whose mailbox cannot be reached makes the exit non-zero;
// quarantined messages do not.
func runPoll(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "poll")
	once := fs.Bool("once", false, "run one pass and exit (required)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 0, "no arguments"); err != nil {
		return err
	}
	if !*once {
		return usageError{"poll needs --once (the continuous poller is `helpdesk serve`)"}
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	return pollOnce(ctx, a, tickets.DialIMAP, tickets.SMTPSenders(a.log))
}

func pollOnce(ctx context.Context, a *app, dial tickets.Dialer, senders tickets.SenderFactory) error {
	holder := tickets.NewHolderID()
	var errs []error
	for i := range a.cfg.Brands {
		b := &a.cfg.Brands[i]
		st, skipped, err := a.svc.PollOnce(ctx, b, dial, holder, ingestOptions(a.cfg))
		switch {
		case err != nil:
			a.log.Error("ingest pass failed", "brand", b.ID, "err", err)
			errs = append(errs, fmt.Errorf("brand %s: %w", b.ID, err))
		case skipped:
			a.log.Info("mailbox is being polled by another instance; skipped", "brand", b.ID)
		default:
			a.log.Info("ingest pass", "brand", b.ID, "fetched", st.Fetched, "stored", st.Stored,
				"duplicates", st.Duplicates, "quarantined", st.Quarantined, "new_tickets", st.NewTickets)
		}
	}
	// Temporary SMTP failures leave mail queued for the next run; that is
	// not a failed poll.
	if err := a.svc.DrainOutbox(ctx, outboxOptions(a.cfg, holder, senders)); err != nil {
		errs = append(errs, fmt.Errorf("draining outbox: %w", err))
	}
	if err := a.svc.DrainNotices(ctx, outboxOptions(a.cfg, holder, senders)); err != nil {
		errs = append(errs, fmt.Errorf("sending notices: %w", err))
	}
	if counts, err := a.store.OutboxCounts(ctx); err == nil {
		a.log.Info("outbox", "queued", counts[tickets.OutboxQueued], "sent", counts[tickets.OutboxSent],
			"failed", counts[tickets.OutboxFailed], "suppressed", counts[tickets.OutboxSuppressed])
	}
	return errors.Join(errs...)
}
