package tickets

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	"helpdesk/config"
	"helpdesk/mailbox/imapsource"
)

// Dialer opens a brand's mailbox. DialIMAP is the real one.
type Dialer func(ctx context.Context, brand *config.Brand) (Source, error)

// DialIMAP connects to the brand's IMAP server and selects its folder.
func DialIMAP(ctx context.Context, brand *config.Brand) (Source, error) {
	im := brand.IMAP
	opts := imapsource.Options{
		Host: im.Host, Port: im.Port, Security: im.Security,
		Username: im.Username, Password: im.Password, Auth: im.Auth, Token: im.Token,
		Folder: im.Folder, AfterImport: im.AfterImport,
	}
	if im.InsecureTLS {
		opts.TLSConfig = &tls.Config{InsecureSkipVerify: true, ServerName: im.Host}
	}
	s, err := imapsource.Dial(ctx, opts)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// leaseTTL bounds how long a crashed poller on another host keeps others
// off its mailbox (on the same host a dead holder is noticed at once).
const leaseTTL = time.Minute

// PollOnce runs one ingest pass over the brand's mailbox. It reports
// skipped=true when another process holds the mailbox's lease.
func (s *Service) PollOnce(ctx context.Context, brand *config.Brand, dial Dialer, holder string, opts IngestOptions) (st PassStats, skipped bool, err error) {
	ing := s.NewIngester(brand, opts)
	name := "imap:" + brand.ID + ":" + ing.opts.Folder
	ok, err := s.store.AcquireLease(ctx, name, holder, leaseTTL)
	if err != nil {
		return st, false, err
	}
	if !ok {
		return st, true, nil
	}
	defer s.store.ReleaseLease(context.WithoutCancel(ctx), name, holder)
	src, err := dial(ctx, brand)
	if err != nil {
		return st, false, fmt.Errorf("connecting to %s: %w", brand.IMAP.Host, err)
	}
	defer src.Close()
	st, err = ing.Pass(ctx, src)
	return st, false, err
}

// RunMailbox ingests the brand's mailbox until ctx is cancelled: a pass,
// then IDLE (or a sleep of poll_interval) until new mail, then another
// pass. Connection failures reconnect with capped exponential backoff and
// jitter; an authentication failure backs off to the cap at once, so a
// wrong password does not lock the account.
func (s *Service) RunMailbox(ctx context.Context, brand *config.Brand, dial Dialer, holder string, opts IngestOptions) error {
	ing := s.NewIngester(brand, opts)
	log := ing.log
	name := "imap:" + brand.ID + ":" + ing.opts.Folder
	defer s.store.ReleaseLease(context.WithoutCancel(ctx), name, holder)
	backoff := &imapsource.Backoff{Min: time.Second, Max: 5 * time.Minute}
	poll := brand.IMAP.PollInterval.Std()
	wait := min(poll, leaseTTL/3)
	for ctx.Err() == nil {
		ok, err := s.store.AcquireLease(ctx, name, holder, leaseTTL)
		if err != nil || !ok {
			if err != nil {
				log.Error("taking mailbox lease", "err", err)
			} else {
				log.Debug("mailbox is polled by another instance")
			}
			sleep(ctx, wait)
			continue
		}
		src, err := dial(ctx, brand)
		if err != nil {
			d := backoff.Next()
			if errors.Is(err, imapsource.ErrAuth) {
				d = 5 * time.Minute
			}
			log.Error("connecting to mailbox", "err", err, "retry_in", d.Round(time.Millisecond))
			sleep(ctx, d)
			continue
		}
		log.Info("mailbox connected", "idle", brand.IMAP.IDLE && src.SupportsIdle())
		backoff.Reset()
		err = s.serveMailbox(ctx, ing, src, name, holder, poll)
		src.Close()
		if ctx.Err() != nil {
			return nil
		}
		d := backoff.Next()
		log.Error("mailbox session ended", "err", err, "retry_in", d.Round(time.Millisecond))
		sleep(ctx, d)
	}
	return nil
}

// serveMailbox runs passes on one connection until it fails.
func (s *Service) serveMailbox(ctx context.Context, ing *Ingester, src Source, lease, holder string, poll time.Duration) error {
	for {
		st, err := ing.Pass(ctx, src)
		if err != nil {
			return err
		}
		if st.Fetched > 0 || st.Resynced {
			ing.log.Info("ingest pass", "fetched", st.Fetched, "stored", st.Stored, "duplicates", st.Duplicates,
				"quarantined", st.Quarantined, "new_tickets", st.NewTickets, "last_uid", st.LastUID)
		}
		ok, err := s.store.AcquireLease(ctx, lease, holder, leaseTTL)
		if err != nil {
			return err
		}
		if !ok {
			return errors.New("lost the mailbox lease")
		}
		// Wake at least every leaseTTL/3 to renew the lease.
		wait := min(poll, leaseTTL/3)
		if ing.brand.IMAP.IDLE && src.SupportsIdle() {
			err = src.WaitForNew(ctx, leaseTTL/3)
		} else {
			err = sleepErr(ctx, wait)
		}
		if err != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) { _ = sleepErr(ctx, d) }

func sleepErr(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
