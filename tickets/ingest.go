package tickets

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/mailbox/imapsource"
)

// Source is one selected IMAP folder. *imapsource.Session implements it;
// tests may use anything else that does.
type Source interface {
	UIDValidity() uint32
	NewUIDs(ctx context.Context, after uint32) ([]uint32, error)
	// Fetch streams the messages' raw bytes in UID order. The callback's
	// error argument is set (and raw nil) when one message could not be read.
	Fetch(ctx context.Context, uids []uint32, fn imapsource.FetchFunc) error
	// Release frees a raw message Fetch delivered, once it is stored.
	Release(raw []byte)
	ApplyAfterImport(ctx context.Context, upTo uint32) error
	WaitForNew(ctx context.Context, maxWait time.Duration) error
	SupportsIdle() bool
	Close() error
}

// IngestOptions tunes one brand's ingest.
type IngestOptions struct {
	Folder          string
	BatchSize       int           // messages per commit (default 300)
	BatchInterval   time.Duration // longest time a fetched message waits for its commit (default 1s)
	BatchBytes      int64         // raw bytes per commit, bounding memory (default 2 MiB)
	MaxMessageBytes int64         // larger messages are quarantined (default 64 MiB)
	ParseWorkers    int           // default GOMAXPROCS
}

// Ingester turns one brand's mailbox into stored messages and tickets.
//
// A pass runs three stages joined by small channels: the fetcher streams
// raw messages from the Source and cuts them into batches; parse workers
// parse and classify a batch in parallel; the writer stores the batch and
// the folder checkpoint in one transaction. The checkpoint therefore never
// runs ahead of the stored messages, and a crash loses at most the batch in
// flight, which the next pass fetches again (dedupe makes that harmless).
type Ingester struct {
	svc   *Service
	brand *config.Brand
	opts  IngestOptions
	log   *slog.Logger
}

// PassStats counts what one pass did.
type PassStats struct {
	Fetched     int
	Stored      int
	Duplicates  int
	Quarantined int
	NewTickets  int
	Resynced    bool
	LastUID     uint32
}

// NewIngester makes the ingester for one brand.
func (s *Service) NewIngester(brand *config.Brand, opts IngestOptions) *Ingester {
	if opts.Folder == "" {
		opts.Folder = brand.IMAP.Folder
	}
	if opts.Folder == "" {
		opts.Folder = "INBOX"
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 300
	}
	if opts.BatchInterval <= 0 {
		opts.BatchInterval = time.Second
	}
	if opts.BatchBytes <= 0 {
		// Parsed, a batch takes about four times its raw size, and up to
		// four batches are in the pipeline. Measured with
		// BenchmarkPollOnceBinary (10,000 messages and one of 34 MB): peak
		// RSS 151 MB with 4 MiB, 136 MB with 2 MiB; BenchmarkIngest showed
		// no difference in speed beyond the noise.
		opts.BatchBytes = 2 << 20
	}
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = 64 << 20
	}
	if opts.ParseWorkers <= 0 {
		opts.ParseWorkers = runtime.GOMAXPROCS(0)
	}
	return &Ingester{svc: s, brand: brand, opts: opts,
		log: s.log.With("brand", brand.ID, "folder", opts.Folder)}
}

type fetched struct {
	uid        uint32
	raw        []byte
	fetchErr   error
	now        time.Time // when the batch was parsed: one clock for the worker and the writer
	parsed     *mailbox.Message
	class      Classification
	ack        *preAck  // the acknowledgement, rendered ahead for the ticket it would open
	row        *Message // the messages row, built ahead but for keys and ids
	contentKey string
}

type batch struct {
	items    []*fetched
	bytes    int64
	validity uint32
}

// Pass fetches everything new in the folder and stores it. When ctx is
// cancelled it stops fetching, still commits what it already fetched, and
// returns ctx.Err().
func (ing *Ingester) Pass(ctx context.Context, src Source) (PassStats, error) {
	var st PassStats
	cp, err := ing.svc.checkpoint(ctx, ing.brand.ID, ing.opts.Folder)
	if err != nil {
		return st, err
	}
	validity := src.UIDValidity()
	after := uint32(cp.LastUID)
	if cp.UIDValidity != 0 && uint32(cp.UIDValidity) != validity {
		// The server renumbered the folder: fetch it all again. Dedupe by
		// Message-ID and content key keeps what we already have single.
		ing.log.Warn("UIDVALIDITY changed, resyncing folder", "old", cp.UIDValidity, "new", validity)
		after = 0
		st.Resynced = true
	}
	uids, err := src.NewUIDs(ctx, after)
	if err != nil {
		return st, fmt.Errorf("searching new uids after %d: %w", after, err)
	}
	if len(uids) == 0 {
		if cp.UIDValidity != int64(validity) {
			if err := ing.svc.saveCheckpoint(ctx, ing.brand.ID, ing.opts.Folder, validity, after); err != nil {
				return st, err
			}
		}
		st.LastUID = after
		return st, ing.afterImport(ctx, src, after)
	}

	// The writer must finish the batch in hand even when ctx is cancelled.
	storeCtx := context.WithoutCancel(ctx)
	raws := make(chan *batch)
	parsed := make(chan *batch)
	var fetchErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(raws)
		fetchErr = ing.fetch(ctx, src, uids, raws)
	}()
	go func() {
		defer wg.Done()
		defer close(parsed)
		for b := range raws {
			ing.parseBatch(b)
			parsed <- b
		}
	}()
	var writeErr error
	for b := range parsed {
		if writeErr != nil {
			release(src, b)
			continue // drain so the other stages can finish
		}
		bs, err := ing.svc.storeBatch(storeCtx, ing.brand, ing.opts.Folder, validity, b.items)
		release(src, b)
		if err != nil {
			writeErr = err
			continue
		}
		st.Fetched += len(b.items)
		st.Stored += bs.Stored
		st.Duplicates += bs.Duplicates
		st.Quarantined += bs.Quarantined
		st.NewTickets += bs.NewTickets
		st.LastUID = b.items[len(b.items)-1].uid
	}
	wg.Wait()
	if writeErr != nil {
		return st, writeErr
	}
	if fetchErr != nil {
		return st, fetchErr
	}
	if st.LastUID == 0 {
		st.LastUID = after
	}
	return st, ing.afterImport(ctx, src, st.LastUID)
}

// release hands a batch's raw messages back to the source: they are stored
// (or the pass failed), and nothing may read them after this.
func release(src Source, b *batch) {
	for _, f := range b.items {
		src.Release(f.raw)
		f.raw = nil
	}
}

func (ing *Ingester) afterImport(ctx context.Context, src Source, upTo uint32) error {
	if upTo == 0 || ing.brand.IMAP.AfterImport == "" || ing.brand.IMAP.AfterImport == "none" {
		return nil
	}
	if err := src.ApplyAfterImport(ctx, upTo); err != nil {
		return fmt.Errorf("after_import %s up to uid %d: %w", ing.brand.IMAP.AfterImport, upTo, err)
	}
	return nil
}

// fetch streams messages into batches cut by count, bytes and age.
func (ing *Ingester) fetch(ctx context.Context, src Source, uids []uint32, out chan<- *batch) error {
	cur := &batch{validity: src.UIDValidity()}
	started := time.Now()
	flush := func() {
		if len(cur.items) > 0 {
			out <- cur
		}
		cur = &batch{validity: src.UIDValidity()}
		started = time.Now()
	}
	err := src.Fetch(ctx, uids, func(uid uint32, raw []byte, ferr error) error {
		if len(cur.items) == 0 {
			started = time.Now()
		}
		f := &fetched{uid: uid, raw: raw, fetchErr: ferr}
		if ferr == nil && int64(len(raw)) > ing.opts.MaxMessageBytes {
			f.fetchErr = fmt.Errorf("message of %d bytes exceeds max_message_bytes %d", len(raw), ing.opts.MaxMessageBytes)
			src.Release(raw)
			f.raw = nil
		}
		if len(cur.items) > 0 && cur.bytes+int64(len(f.raw)) > ing.opts.BatchBytes {
			// Cut before the batch overflows: a large message then travels
			// alone and the pipeline never holds it beside a full batch.
			flush()
		}
		cur.items = append(cur.items, f)
		cur.bytes += int64(len(f.raw))
		if len(cur.items) >= ing.opts.BatchSize || cur.bytes >= ing.opts.BatchBytes ||
			time.Since(started) >= ing.opts.BatchInterval {
			flush()
		}
		return ctx.Err()
	})
	flush()
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("fetching: %w", err)
	}
	return nil
}

func (ing *Ingester) parseBatch(b *batch) {
	own := ing.svc.ownAddresses()
	var wg sync.WaitGroup
	next := make(chan *fetched)
	for w := 0; w < ing.opts.ParseWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				if f.fetchErr != nil {
					continue
				}
				// Attachments kept only inside the raw message (see
				// maxSeparateAttachment) are never decoded whole.
				f.parsed = mailbox.Parse(f.raw, mailbox.ParseOptions{OwnAddresses: own, MaxAttachmentContent: maxSeparateAttachment})
				f.class = ing.svc.classifier.Classify(f.parsed)
				if f.parsed.Automated {
					f.class.Automated = true
				}
				if !f.class.Automated {
					f.ack = ing.svc.prerenderAck(ing.brand, f.parsed, f.class, f.now)
				}
				f.contentKey = contentKey(f.parsed)
				f.row = incomingRow(ing.brand.ID, ing.opts.Folder, b.validity, f, f.now)
			}
		}()
	}
	now := ing.svc.now().UTC()
	for _, f := range b.items {
		f.now = now
		next <- f
	}
	close(next)
	wg.Wait()
}
