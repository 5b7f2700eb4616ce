package imapsource

import (
	"context"
	"errors"
	"fmt"

	"github.com/emersion/go-imap/v2"
)

// ApplyAfterImport applies Options.AfterImport to every message with UID <=
// upTo that is still in the folder:
//
//   - "none": nothing.
//   - "seen": UID STORE +FLAGS.SILENT (\Seen) on those not yet \Seen.
//   - "move:F": UID MOVE to F, creating F first if it does not exist. When
//     the server lacks MOVE (RFC 6851), go-imap falls back to UID COPY,
//     \Deleted and UID EXPUNGE (plain EXPUNGE without UIDPLUS, which also
//     removes other messages already marked \Deleted).
//
// It is idempotent and looks at the folder, not at what this session
// fetched: call it after every committed batch with the committed
// checkpoint, and a crash between commit and this call heals on the next
// pass. Messages above upTo (not yet committed) are never touched.
func (s *Session) ApplyAfterImport(ctx context.Context, upTo uint32) error {
	if upTo == 0 || s.opts.AfterImport == AfterImportNone {
		return nil
	}
	stop := context.AfterFunc(ctx, func() { s.conn.Close() })
	defer stop()

	criteria := &imap.SearchCriteria{UID: []imap.UIDSet{{imap.UIDRange{Start: 1, Stop: imap.UID(upTo)}}}}
	if s.opts.AfterImport == AfterImportSeen {
		criteria.NotFlag = []imap.Flag{imap.FlagSeen}
	}
	data, err := s.client.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return wrap(ctx, "search", fmt.Errorf("after_import %s: %w", s.opts.AfterImport, err))
	}
	var set imap.UIDSet
	n := 0
	for _, uid := range data.AllUIDs() {
		// Filter: some servers stretch a range to the highest UID.
		if uid >= 1 && uint32(uid) <= upTo {
			set.AddNum(uid)
			n++
		}
	}
	if n == 0 {
		return nil
	}

	if s.opts.AfterImport == AfterImportSeen {
		store := &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}
		if err := s.client.Store(set, store, nil).Close(); err != nil {
			return wrap(ctx, "store", fmt.Errorf("marking %d messages seen: %w", n, err))
		}
		s.log.Debug("imap marked seen", "count", n, "up_to", upTo)
		return nil
	}

	dest := s.opts.moveDest()
	if err := s.ensureFolder(ctx, dest); err != nil {
		return err
	}
	if _, err := s.client.Move(set, dest).Wait(); err != nil {
		return wrap(ctx, "move", fmt.Errorf("moving %d messages to %q: %w", n, dest, err))
	}
	s.log.Debug("imap moved", "count", n, "up_to", upTo, "dest", dest)
	return nil
}

// ensureFolder creates name unless a LIST shows it exists. Done once per
// session; a concurrent creator (ALREADYEXISTS) is fine.
func (s *Session) ensureFolder(ctx context.Context, name string) error {
	if s.destReady {
		return nil
	}
	list, err := s.client.List("", name, nil).Collect()
	if err != nil {
		return wrap(ctx, "list", fmt.Errorf("folder %q: %w", name, err))
	}
	if len(list) == 0 {
		err := s.client.Create(name, nil).Wait()
		var imapErr *imap.Error
		if err != nil && !(errors.As(err, &imapErr) && imapErr.Code == imap.ResponseCodeAlreadyExists) {
			return wrap(ctx, "create", fmt.Errorf("folder %q: %w", name, err))
		}
		s.log.Info("imap created folder for after_import", "dest", name)
	}
	s.destReady = true
	return nil
}
