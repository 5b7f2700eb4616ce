package imapsource_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helpdesk/mailbox/imaptest"
)

// BenchmarkSessionFetchToFiles does what imaptest.BareFetchToDir does (copy
// 1000 messages of about 4 KB into one file each) through Session: NOOP +
// UID SEARCH, then UID FETCH in batches of FetchBatch. Compare with
// BenchmarkBareFetchToFiles in package imaptest:
//
//	go test -run '^$' -bench 'FetchToFiles' -benchtime 5x ./mailbox/imapsource/ ./mailbox/imaptest/
func BenchmarkSessionFetchToFiles(b *testing.B) {
	const n = 1000
	for _, k := range serverKinds() {
		b.Run(k.name, func(b *testing.B) {
			srv := k.start(b)
			raws := make([][]byte, n)
			var size int64
			for i := range raws {
				body := strings.Repeat(fmt.Sprintf("Line %d of a customer question about order %d and its delivery.\r\n", i, i), 60)
				raws[i] = append(imaptest.Message(i+1, fmt.Sprintf("Order %d", i+1)), body...)
				size += int64(len(raws[i]))
			}
			srv.Append(b.Context(), b, "", raws...)
			b.SetBytes(size)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dir, err := os.MkdirTemp(b.TempDir(), "fetch")
				if err != nil {
					b.Fatal(err)
				}
				got := 0
				func() {
					s, err := imapsourceDial(b, srv)
					if err != nil {
						b.Fatal(err)
					}
					defer s.Close()
					uids, err := s.NewUIDs(b.Context(), 0)
					if err != nil {
						b.Fatal(err)
					}
					err = s.Fetch(b.Context(), uids, func(uid uint32, raw []byte, bad error) error {
						if bad != nil {
							return bad
						}
						got++
						return os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.eml", uid)), raw, 0o644)
					})
					if err != nil {
						b.Fatal(err)
					}
				}()
				if got != n {
					b.Fatalf("fetched %d, want %d", got, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
