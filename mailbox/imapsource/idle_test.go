package imapsource_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"helpdesk/mailbox/imapsource"
	"helpdesk/mailbox/imaptest"
)

func TestWaitForNewWakesOnAppend(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		ctx := testCtx(t)
		s := dial(t, srv.Options())
		if _, err := s.NewUIDs(ctx, 0); err != nil {
			t.Fatal(err)
		}
		appendErr := make(chan error, 1)
		go func() {
			time.Sleep(300 * time.Millisecond) // let IDLE start first
			appendErr <- srv.AppendMessages(ctx, "", imaptest.Message(1, "new mail"))
		}()
		const maxWait = time.Minute
		start := time.Now()
		if err := s.WaitForNew(ctx, maxWait); err != nil {
			t.Fatalf("WaitForNew: %v", err)
		}
		if waited := time.Since(start); waited >= maxWait {
			t.Fatalf("WaitForNew returned after %v: it timed out instead of waking on EXISTS", waited)
		}
		if err := <-appendErr; err != nil {
			t.Fatal(err)
		}
		uids, err := s.NewUIDs(ctx, 0)
		if err != nil || len(uids) != 1 {
			t.Errorf("NewUIDs after wake-up = %v, %v; want the new message", uids, err)
		}
	})
}

func TestWaitForNewTimeoutAndCancel(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		s := dial(t, srv.Options())
		ctx := testCtx(t)

		start := time.Now()
		if err := s.WaitForNew(ctx, 200*time.Millisecond); err != nil {
			t.Fatalf("WaitForNew with nothing new: %v", err)
		}
		if waited := time.Since(start); waited < 200*time.Millisecond {
			t.Errorf("WaitForNew returned after %v, before maxWait, with no new mail", waited)
		}

		cctx, cancel := context.WithCancel(ctx)
		time.AfterFunc(100*time.Millisecond, cancel)
		err := s.WaitForNew(cctx, time.Minute)
		if !errors.Is(err, context.Canceled) || imapsource.IsTemporary(err) {
			t.Fatalf("WaitForNew after cancel = %v, want context.Canceled, not temporary", err)
		}
		// IDLE was ended politely: the session is still usable.
		if _, err := s.NewUIDs(ctx, 0); err != nil {
			t.Errorf("NewUIDs after a cancelled WaitForNew: %v", err)
		}
	})
}

func TestWaitForNewPendingNotice(t *testing.T) {
	// New mail noticed while the session was busy (here: during a NOOP-like
	// search that does not cover it) makes WaitForNew return at once.
	srv := imaptest.StartMemServer(t)
	ctx := testCtx(t)
	s := dial(t, srv.Options())
	appendN(t, srv, 1)
	// This search sees EXISTS=1 (a growth) as unilateral data.
	if _, err := s.NewUIDs(ctx, 0); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := s.WaitForNew(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited > 30*time.Second {
		t.Errorf("WaitForNew waited %v despite a pending new-mail notice", waited)
	}
}
