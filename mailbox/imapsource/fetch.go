package imapsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// NewUIDs returns the UIDs in the folder greater than after, ascending.
//
// It sends UID SEARCH UID after+1:*. A "*" range always matches the highest
// UID in the folder even when that is below after+1 (RFC 9051 section
// 6.4.8), so the answer is filtered here; asking again after the highest UID
// yields an empty list.
//
// NewUIDs also consumes any pending new-mail notice: WaitForNew returns at
// once only for mail that arrived after this search was sent.
func (s *Session) NewUIDs(ctx context.Context, after uint32) ([]uint32, error) {
	if after == math.MaxUint32 {
		return nil, nil
	}
	select {
	case <-s.newMail:
	default:
	}
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()
	// A server searches its current view of the folder, which may predate
	// mail delivered since the last command (Dovecot does this). NOOP makes
	// it catch up first.
	if err := s.client.Noop().Wait(); err != nil {
		return nil, wrap(ctx, "noop", err)
	}
	criteria := &imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: imap.UID(after + 1), Stop: 0}}}}
	data, err := s.client.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return nil, wrap(ctx, "search", fmt.Errorf("uid %d:*: %w", after+1, err))
	}
	var out []uint32
	for _, uid := range data.AllUIDs() {
		if uint32(uid) > after {
			out = append(out, uint32(uid))
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// FetchFunc receives one message. Exactly one of raw and bad is non-nil:
// raw is the complete RFC 5322 message (a fresh slice the callee may keep),
// bad a *MessageError saying why this message could not be read (the server
// refused it, sent no body, or it exceeds Options.MaxMessageSize). A bad
// message should be quarantined and skipped; it never stops the fetch.
// Returning a non-nil error stops Fetch, which returns it wrapped.
// raw belongs to the callback from then on; large messages are held
// outside the Go heap until the callback's owner passes them to
// Session.Release.
//
// The callback runs while the FETCH response is still streaming in and must
// not call other Session methods.
type FetchFunc func(uid uint32, raw []byte, bad error) error

// Fetch downloads the given messages with UID FETCH BODY.PEEK[] (PEEK: the
// \Seen flag is left alone; after_import decides about it), FetchBatch UIDs
// per command, calling fn once per message in the order the server answers
// (ascending UID on the servers we know). The messages are streamed: only
// the one being handed to fn is held in memory.
//
// UIDs that no longer exist (expunged meanwhile) are skipped without a
// call. When the server fails a whole FETCH command with NO, the messages
// it did not deliver are fetched one by one, so a single unreadable message
// is reported to fn as bad and the rest still arrive.
//
// Errors: the error fn returned (wrapped), or an *Error for the connection.
func (s *Session) Fetch(ctx context.Context, uids []uint32, fn FetchFunc) error {
	for start := 0; start < len(uids); start += s.opts.FetchBatch {
		batch := uids[start:min(start+s.opts.FetchBatch, len(uids))]
		if err := s.fetchBatch(ctx, batch, fn); err != nil {
			return err
		}
	}
	return nil
}

// callbackError marks an error returned by the FetchFunc so it passes
// through the retry logic untouched.
type callbackError struct {
	uid uint32
	err error
}

func (e *callbackError) Error() string { return fmt.Sprintf("handling uid %d: %v", e.uid, e.err) }
func (e *callbackError) Unwrap() error { return e.err }

func (s *Session) fetchBatch(ctx context.Context, batch []uint32, fn FetchFunc) error {
	retry, err := s.fetchOnce(ctx, batch, fn)
	if err != nil {
		var cbErr *callbackError
		if errors.As(err, &cbErr) {
			return err
		}
		var imapErr *imap.Error
		if !errors.As(err, &imapErr) || isTemporary(err) || ctx.Err() != nil {
			return wrap(ctx, "fetch", err)
		}
		if len(batch) == 1 {
			if imapErr.Code == codeExpungeIssued {
				return nil // expunged by another session meanwhile
			}
			return reportBad(fn, batch[0], err)
		}
		s.log.Warn("imap fetch failed for part of a batch, fetching the rest one by one",
			"err", err, "undelivered", len(retry), "batch", len(batch))
	}
	if len(retry) == 0 {
		return nil
	}
	if len(batch) == 1 {
		return reportBad(fn, batch[0], errors.New("server sent no message body (NIL)"))
	}
	// Let the server report pending expunges, so that the one-by-one
	// fetches below see them gone rather than NIL.
	if err := s.noop(ctx); err != nil {
		return err
	}
	for _, uid := range retry {
		if err := s.fetchBatch(ctx, []uint32{uid}, fn); err != nil {
			return err
		}
	}
	return nil
}

func reportBad(fn FetchFunc, uid uint32, err error) error {
	if cbErr := fn(uid, nil, &MessageError{UID: uid, Err: err}); cbErr != nil {
		return &callbackError{uid: uid, err: cbErr}
	}
	return nil
}

func (s *Session) noop(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()
	return wrap(ctx, "noop", s.client.Noop().Wait())
}

// fetchOnce runs one UID FETCH. It returns the UIDs to retry one by one:
// when the command failed, every requested UID not delivered; when it
// succeeded, those the server mentioned without a body (a flag update
// racing with the fetch can take the body response's place). UIDs never
// mentioned on success were expunged and are not retried.
func (s *Session) fetchOnce(ctx context.Context, batch []uint32, fn FetchFunc) (retry []uint32, err error) {
	var set imap.UIDSet
	for _, uid := range batch {
		set.AddNum(imap.UID(uid))
	}
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()

	cmd := s.client.Fetch(set, &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	})
	delivered := make(map[uint32]bool, len(batch))
	var noBody []uint32
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		uid, raw, bad, readErr := s.readMessage(msg)
		if readErr != nil {
			// The connection broke mid-literal; nothing more can be read.
			s.client.Close()
			cmd.Close()
			return nil, readErr
		}
		if uid == 0 {
			s.buffers.release(raw)
			continue
		}
		if raw == nil && bad == nil {
			noBody = append(noBody, uid)
			continue
		}
		delivered[uid] = true
		if err := fn(uid, raw, bad); err != nil {
			// Drain the rest of the response so the session stays usable.
			if closeErr := cmd.Close(); closeErr != nil && !isIMAPStatus(closeErr) {
				s.client.Close()
			}
			return nil, &callbackError{uid: uid, err: err}
		}
	}
	if err := cmd.Close(); err != nil {
		for _, uid := range batch {
			if !delivered[uid] {
				retry = append(retry, uid)
			}
		}
		return retry, err
	}
	for _, uid := range noBody {
		if !delivered[uid] {
			retry = append(retry, uid)
		}
	}
	return retry, nil
}

// readMessage consumes one FETCH response. A non-nil err means the
// connection failed; bad reports a problem with this message only.
func (s *Session) readMessage(msg *imapclient.FetchMessageData) (uid uint32, raw []byte, bad error, err error) {
	for {
		item := msg.Next()
		if item == nil {
			break
		}
		switch item := item.(type) {
		case imapclient.FetchItemDataUID:
			uid = uint32(item.UID)
		case imapclient.FetchItemDataBodySection:
			if item.Literal == nil {
				// Dovecot answers NIL for a message expunged by another
				// session that this one has not been told about yet; the
				// caller retries it alone and reports it only if the NIL
				// persists.
				continue
			}
			size := item.Literal.Size()
			if max := s.opts.MaxMessageSize; max > 0 && size > max {
				bad = fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, size, max)
				if _, err := io.Copy(io.Discard, item.Literal); err != nil {
					return 0, nil, nil, fmt.Errorf("skipping oversized message body: %w", err)
				}
				continue
			}
			buf := s.buffers.alloc(size)
			if _, err := io.ReadFull(item.Literal, buf); err != nil {
				s.buffers.release(buf)
				return 0, nil, nil, fmt.Errorf("reading message body (%d bytes): %w", size, err)
			}
			raw = buf
		}
	}
	if bad != nil {
		bad = &MessageError{UID: uid, Err: bad}
		s.buffers.release(raw)
		raw = nil
	}
	return uid, raw, bad, nil
}
