package imapsource_test

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"helpdesk/mailbox/imapsource"
	"helpdesk/mailbox/imaptest"
)

func appendN(t *testing.T, srv *imaptest.Server, n int) [][]byte {
	t.Helper()
	raws := make([][]byte, n)
	for i := range raws {
		raws[i] = imaptest.Message(i+1, fmt.Sprintf("question %d", i+1))
	}
	srv.Append(testCtx(t), t, "", raws...)
	return raws
}

type fetched struct {
	uid uint32
	raw []byte
	bad error
}

func fetchAll(t *testing.T, s *imapsource.Session, uids []uint32) []fetched {
	t.Helper()
	var got []fetched
	err := s.Fetch(testCtx(t), uids, func(uid uint32, raw []byte, bad error) error {
		got = append(got, fetched{uid, raw, bad})
		return nil
	})
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	return got
}

func TestNewUIDs(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		ctx := testCtx(t)
		s := dial(t, srv.Options())
		if uids, err := s.NewUIDs(ctx, 0); err != nil || len(uids) != 0 {
			t.Fatalf("NewUIDs on an empty folder = %v, %v; want none", uids, err)
		}
		appendN(t, srv, 5)
		all, err := s.NewUIDs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 5 || !slices.IsSorted(all) {
			t.Fatalf("NewUIDs(0) = %v, want 5 ascending UIDs", all)
		}
		tests := []struct {
			after uint32
			want  []uint32
		}{
			{0, all},
			{all[1], all[2:]},
			{all[4] - 1, all[4:]},
			// "UID last+1:*" matches the highest UID on the server even
			// when it is below last+1; the filter must drop it.
			{all[4], nil},
			{all[4] + 1000, nil},
			{^uint32(0), nil},
		}
		for _, tt := range tests {
			got, err := s.NewUIDs(ctx, tt.after)
			if err != nil {
				t.Fatalf("NewUIDs(%d): %v", tt.after, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("NewUIDs(%d) = %v, want %v", tt.after, got, tt.want)
			}
		}
	})
}

func TestFetchStreamsInOrder(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		raws := appendN(t, srv, 23)
		opts := srv.Options()
		opts.FetchBatch = 5 // several UID FETCH commands, the last one short
		s := dial(t, opts)
		uids, err := s.NewUIDs(testCtx(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		got := fetchAll(t, s, uids)
		if len(got) != len(raws) {
			t.Fatalf("fetched %d messages, want %d", len(got), len(raws))
		}
		for i, f := range got {
			if f.uid != uids[i] {
				t.Errorf("message %d: uid %d, want %d (order)", i, f.uid, uids[i])
			}
			if f.bad != nil {
				t.Errorf("uid %d: bad = %v", f.uid, f.bad)
			}
			if !bytes.Equal(f.raw, raws[i]) {
				t.Errorf("uid %d: body differs:\n got %q\nwant %q", f.uid, f.raw, raws[i])
			}
		}
		// BODY.PEEK must not have set \Seen.
		if total, unseen := srv.Count(testCtx(t), t, ""); unseen != total {
			t.Errorf("after Fetch: %d of %d unseen; PEEK must leave flags alone", unseen, total)
		}
	})
}

func TestFetchSkipsExpunged(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		appendN(t, srv, 4)
		s := dial(t, srv.Options())
		uids, err := s.NewUIDs(testCtx(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		// Another client removes two messages after our search.
		srv.Expunge(testCtx(t), t, "", uids[1], uids[3])
		got := fetchAll(t, s, uids)
		var gotUIDs []uint32
		for _, f := range got {
			if f.bad != nil {
				t.Errorf("uid %d reported bad (%v); an expunged message must be skipped silently", f.uid, f.bad)
			}
			gotUIDs = append(gotUIDs, f.uid)
		}
		if want := []uint32{uids[0], uids[2]}; !slices.Equal(gotUIDs, want) {
			t.Errorf("fetched uids %v, want %v", gotUIDs, want)
		}
	})
}

func TestFetchCallbackErrorStops(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		appendN(t, srv, 6)
		s := dial(t, srv.Options())
		ctx := testCtx(t)
		uids, err := s.NewUIDs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		errStop := errors.New("disk full")
		calls := 0
		err = s.Fetch(ctx, uids, func(uid uint32, raw []byte, bad error) error {
			calls++
			if calls == 2 {
				return errStop
			}
			return nil
		})
		if !errors.Is(err, errStop) {
			t.Fatalf("Fetch = %v, want the callback's error wrapped", err)
		}
		if calls != 2 {
			t.Errorf("callback ran %d times after returning an error at call 2", calls)
		}
		// The rest of the response was drained: the session still works.
		if got, err := s.NewUIDs(ctx, uids[4]); err != nil || !slices.Equal(got, uids[5:]) {
			t.Errorf("NewUIDs after an aborted Fetch = %v, %v; want %v", got, err, uids[5:])
		}
	})
}

// bigMessage returns a syntactically valid message of at least size bytes.
func bigMessage(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: big@example.com\r\nTo: support@shop.example\r\nSubject: photos\r\n")
	b.WriteString("Message-ID: <big@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	line := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", 3)[:76] + "\r\n"
	for i := 0; b.Len() < size; i++ {
		// Vary the lines a little so the content is not one repeated block.
		fmt.Fprintf(&b, "%08d%s", i, line[8:])
	}
	return b.Bytes()
}

func TestFetchLargeMessageStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("25 MB message: skipped with -short")
	}
	big := bigMessage(25 << 20)
	small := imaptest.Message(2, "after the big one")
	forEachServerSerial(t, func(t *testing.T, srv *imaptest.Server) {
		srv.Append(testCtx(t), t, "", big, small)

		t.Run("within limit", func(t *testing.T) {
			s := dial(t, srv.Options())
			uids, err := s.NewUIDs(testCtx(t), 0)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var sums [][32]byte
			err = s.Fetch(testCtx(t), uids, func(uid uint32, raw []byte, bad error) error {
				if bad != nil {
					return bad
				}
				sums = append(sums, sha256.Sum256(raw))
				s.Release(raw)
				return nil
			})
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if len(sums) != 2 || sums[0] != sha256.Sum256(big) || sums[1] != sha256.Sum256(small) {
				t.Fatalf("fetched %d messages; want the 25 MB one and the small one, byte for byte", len(sums))
			}
			// One exact-size buffer per message: Collect / io.ReadAll would
			// allocate about twice the message size while growing. On Linux
			// the large one is mapped outside the Go heap and costs the
			// heap nothing.
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("Fetch of a %d MB message allocated %d MB on the Go heap", len(big)>>20, alloc>>20)
			limit := uint64(len(big)) * 3 / 2
			if runtime.GOOS == "linux" {
				limit = uint64(len(big)) / 8
			}
			// Only Dovecot runs out of process; the memory server's own
			// copy of the literal would count here too.
			if srv.Kind == imaptest.KindDovecot && alloc > limit {
				t.Errorf("Fetch allocated %d MB for a %d MB message; want < %d MB", alloc>>20, len(big)>>20, limit>>20)
			}
		})

		t.Run("over limit", func(t *testing.T) {
			opts := srv.Options()
			opts.MaxMessageSize = 1 << 20
			s := dial(t, opts)
			uids, err := s.NewUIDs(testCtx(t), 0)
			if err != nil {
				t.Fatal(err)
			}
			got := fetchAll(t, s, uids)
			if len(got) != 2 {
				t.Fatalf("got %d callbacks, want 2", len(got))
			}
			var me *imapsource.MessageError
			if !errors.Is(got[0].bad, imapsource.ErrTooLarge) || !errors.As(got[0].bad, &me) || me.UID != uids[0] || got[0].raw != nil {
				t.Errorf("oversized message: raw %d bytes, bad = %v; want nil raw and a MessageError(ErrTooLarge) for uid %d", len(got[0].raw), got[0].bad, uids[0])
			}
			if got[1].bad != nil || !bytes.Equal(got[1].raw, small) {
				t.Errorf("the message after the oversized one: bad = %v, %d bytes; want it intact", got[1].bad, len(got[1].raw))
			}
		})
	})
}
