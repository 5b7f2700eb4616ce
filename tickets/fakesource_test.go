package tickets

import (
	"context"
	"errors"
	"sort"
	"time"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox/imapsource"
)

// fakeSource is an in-memory folder for fast unit tests of the ingest
// logic; the IMAP tests use real servers.
type fakeSource struct {
	validity uint32
	msgs     map[uint32][]byte
	bad      map[uint32]error // per-message fetch failures
	failAt   uint32           // Fetch fails (connection lost) before this uid
	applied  uint32
}

// generatedSource is a fake mailbox (UIDVALIDITY 1) holding n generated
// messages of about size bytes each.
func generatedSource(n, size int) *fakeSource {
	f := newFakeSource(1)
	for i := 0; i < n; i++ {
		f.add(testmail.Message(i, size, testmail.Options{}))
	}
	return f
}

func newFakeSource(validity uint32, raws ...[]byte) *fakeSource {
	f := &fakeSource{validity: validity, msgs: map[uint32][]byte{}, bad: map[uint32]error{}}
	for _, r := range raws {
		f.add(r)
	}
	return f
}

func (f *fakeSource) add(raw []byte) uint32 {
	var max uint32
	for u := range f.msgs {
		max = maxU(max, u)
	}
	for u := range f.bad {
		max = maxU(max, u)
	}
	f.msgs[max+1] = raw
	return max + 1
}

func maxU(a, b uint32) uint32 {
	if a > b {
		return a
	}
	return b
}

func (f *fakeSource) UIDValidity() uint32 { return f.validity }

func (f *fakeSource) NewUIDs(ctx context.Context, after uint32) ([]uint32, error) {
	var out []uint32
	for u := range f.msgs {
		if u > after {
			out = append(out, u)
		}
	}
	for u := range f.bad {
		if u > after {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

func (f *fakeSource) Fetch(ctx context.Context, uids []uint32, fn imapsource.FetchFunc) error {
	for _, u := range uids {
		if f.failAt != 0 && u >= f.failAt {
			return errors.New("connection reset")
		}
		if err, ok := f.bad[u]; ok {
			if err := fn(u, nil, err); err != nil {
				return err
			}
			continue
		}
		if err := fn(u, f.msgs[u], nil); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeSource) ApplyAfterImport(ctx context.Context, upTo uint32) error {
	f.applied = upTo
	return nil
}

func (f *fakeSource) WaitForNew(ctx context.Context, maxWait time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(maxWait):
		return nil
	}
}

func (f *fakeSource) SupportsIdle() bool { return false }
func (f *fakeSource) Release([]byte)     {}
func (f *fakeSource) Close() error       { return nil }
