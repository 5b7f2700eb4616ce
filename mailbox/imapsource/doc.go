// Package imapsource is the IMAP side of mail ingest: it connects to a
// brand's service mailbox, finds messages newer than a checkpoint, streams
// them to the caller, marks or moves what the caller has committed, and
// waits for new mail with IDLE.
//
// # Workflow
//
// The ingest loop (package tickets) owns the store and the checkpoint
// (UIDVALIDITY, last committed UID); this package never persists anything.
// One pass looks like this:
//
//	s, err := imapsource.Dial(ctx, opts)           // connect, TLS, login, SELECT
//	if s.UIDValidity() != cp.UIDValidity { cp = fresh checkpoint }
//	uids, err := s.NewUIDs(ctx, cp.LastUID)        // UID SEARCH UID last+1:*
//	err = s.Fetch(ctx, uids, func(uid uint32, raw []byte, bad error) error {
//		// store raw (or quarantine bad), commit in batches, advance cp;
//		// once raw is committed: s.Release(raw)
//	})
//	err = s.ApplyAfterImport(ctx, cp.LastUID)       // \Seen or MOVE, idempotent
//	err = s.WaitForNew(ctx, pollInterval)           // IDLE or sleep
//
// # Why it is shaped this way
//
// UIDs are only meaningful together with the folder's UIDVALIDITY (RFC 9051
// section 2.3.1.1); when it changes, every stored UID is void and the
// caller re-scans from UID 1, relying on Message-ID dedupe.
//
// Fetch uses BODY.PEEK[] so fetching does not set \Seen: the mailbox state
// changes only through ApplyAfterImport, after the caller has committed.
// A crash between commit and ApplyAfterImport is healed by the next call,
// because ApplyAfterImport searches the folder for everything at or below
// the checkpoint rather than remembering what it fetched.
//
// Messages are streamed from the FETCH response one at a time (never
// collected per batch), so a 25 MB attachment costs 25 MB, not 200 times
// that; from 4 MiB a message is read into memory mapped outside the Go
// heap, which Release gives back at once instead of at the collector's
// pace. One message the server cannot deliver is reported to the callback
// as a *MessageError and never blocks the rest of the folder.
//
// Every error a Session returns is an *Error whose Temporary field tells a
// reconnect loop whether to retry (with Backoff) or to stop and report:
// errors.Is(err, ErrAuth) means the credentials or mechanism were refused,
// and retrying would only risk locking the account.
//
// Authentication: LOGIN for passwords, SASL XOAUTH2 (Google/Microsoft
// style; implemented here) or OAUTHBEARER (RFC 7628, from go-sasl) for
// OAuth2 access tokens. The token must be fresh; refreshing it is the
// caller's job.
package imapsource
