package imaptest_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"helpdesk/mailbox/imaptest"
)

// benchMessage is a plausible customer mail of about 4 KB.
func benchMessage(n int) []byte {
	body := strings.Repeat(fmt.Sprintf("Line %d of a customer question about order %d and its delivery.\r\n", n, n), 60)
	return append(imaptest.Message(n, fmt.Sprintf("Order %d", n)), body...)
}

// SeedForBench appends n messages of about 4 KB and returns their total size.
func seedForBench(b *testing.B, srv *imaptest.Server, n int) int64 {
	b.Helper()
	raws := make([][]byte, n)
	var total int64
	for i := range raws {
		raws[i] = benchMessage(i + 1)
		total += int64(len(raws[i]))
	}
	srv.Append(ctxFor(b), b, "", raws...)
	return total
}

// BenchmarkBareFetchToFiles is the reference for ingest throughput: a bare
// go-imap UID FETCH 1:* of 1000 messages, each written to its own file.
//
//	go test -run '^$' -bench BareFetchToFiles -benchtime 5x ./mailbox/imaptest/
func BenchmarkBareFetchToFiles(b *testing.B) {
	const n = 1000
	for _, k := range servers() {
		b.Run(k.name, func(b *testing.B) {
			srv := k.start(b)
			size := seedForBench(b, srv, n)
			b.SetBytes(size)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dir, err := os.MkdirTemp(b.TempDir(), "fetch")
				if err != nil {
					b.Fatal(err)
				}
				got, err := imaptest.BareFetchToDir(ctxFor(b), srv.Options(), dir)
				if err != nil || got != n {
					b.Fatalf("BareFetchToDir = %d, %v; want %d", got, err, n)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
