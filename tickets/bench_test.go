package tickets

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox/imaptest"
)

// BenchmarkIngest measures a full ingest (fetch, parse, classify, thread,
// open tickets, queue acknowledgements, commit) of a mailbox against the
// reference: a bare go-imap UID FETCH of the same messages writing each to
// a file. Both run in the same process against the same server.
//
//	eval "$(scripts/services.sh env)"
//	HELPDESK_BENCH_MESSAGES=10000 go test -run '^$' -bench 'Ingest$' -benchtime 1x -timeout 30m ./tickets/
//
// It uses Dovecot when HELPDESK_TEST_DOVECOT is set, else the in-memory
// server. HELPDESK_BENCH_BIG=1 adds one message with a 25 MB attachment.
// peak-heap-MB is the largest Go heap seen while ingesting.
func BenchmarkIngest(b *testing.B) {
	srv, n := benchMailbox(b)
	ctx := context.Background()
	if os.Getenv("HELPDESK_BENCH_BIG") == "1" {
		srv.Append(ctx, b, srv.Folder, testmail.WithAttachment(n, 25<<20))
		n++
	}
	b.Logf("%s: %d messages", srv.Kind, n)

	b.Run("bare-fetch-to-files", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			got, err := imaptest.BareFetchToDir(ctx, srv.Options(), b.TempDir())
			if err != nil || got != n {
				b.Fatalf("bare fetch: %d messages, %v", got, err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("ingest-sqlite", func(b *testing.B) { benchIngest(b, srv, "sqlite", n) })
	if os.Getenv("HELPDESK_TEST_POSTGRES") != "" {
		b.Run("ingest-postgres", func(b *testing.B) { benchIngest(b, srv, "postgres", n) })
	}
}

func benchIngest(b *testing.B, srv *imaptest.Server, driver string, n int) {
	var peak uint64
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		svc := newTestService(b, openTestStore(b, driver), imapConfig(b, srv))
		runtime.GC()
		stopSampling := sampleHeap(20 * time.Millisecond)
		var before, after syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		b.StartTimer()
		st, _, err := svc.PollOnce(context.Background(), &svc.cfg.Brands[0], DialIMAP, "bench", IngestOptions{})
		b.StopTimer()
		syscall.Getrusage(syscall.RUSAGE_SELF, &after)
		cpu += time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
		if p := stopSampling(); p > peak {
			peak = p
		}
		if err != nil || st.Stored != n {
			b.Fatalf("ingest stored %d of %d: %v", st.Stored, n, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	// CPU time of this process (with the in-memory server, that includes
	// the server) per message: steadier than wall time on a shared machine.
	b.ReportMetric(float64(cpu.Microseconds())/float64(n*b.N), "cpu-µs/msg")
}

// BenchmarkIngestRatio runs the reference and the SQLite ingest in turns,
// HELPDESK_BENCH_PAIRS times (default 5), and reports the median of the
// per-pair ratios of ingest time to reference time: on a shared machine
// whose speed drifts from minute to minute, a pair run back to back is the
// fairest comparison. median-ratio-closed also counts closing the store,
// which copies the WAL's last second of commits into the database file
// (the daemon does that in the background as it goes). Run it as
//
//	eval "$(scripts/services.sh env)"
//	HELPDESK_BENCH_MESSAGES=10000 go test -run '^$' -bench IngestRatio -benchtime 1x -timeout 60m ./tickets/
func BenchmarkIngestRatio(b *testing.B) {
	pairs := 5
	if v, err := strconv.Atoi(os.Getenv("HELPDESK_BENCH_PAIRS")); err == nil && v > 0 {
		pairs = v
	}
	srv, n := benchMailbox(b)
	ctx := context.Background()
	var ratios, closedRatios, refRates, ingestRates []float64
	for i := 0; i < b.N*pairs; i++ {
		// Each pair gets fresh directories, removed after it, so that the
		// page cache and the disk do not fill up with earlier pairs.
		dir := b.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "reference"), 0o700); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		got, err := imaptest.BareFetchToDir(ctx, srv.Options(), filepath.Join(dir, "reference"))
		ref := time.Since(start)
		if err != nil || got != n {
			b.Fatalf("bare fetch: %d messages, %v", got, err)
		}
		store, err := OpenStore(ctx, StoreOptions{Driver: "sqlite", DSN: filepath.Join(dir, "helpdesk.db")})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := store.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		svc := newTestService(b, store, imapConfig(b, srv))
		start = time.Now()
		st, _, err := svc.PollOnce(ctx, &svc.cfg.Brands[0], DialIMAP, "bench", IngestOptions{})
		ingest := time.Since(start)
		if err != nil || st.Stored != n {
			b.Fatalf("ingest stored %d of %d: %v", st.Stored, n, err)
		}
		// Close folds the WAL's last second into the database file: work a
		// running daemon does in the background, counted in the second ratio.
		start = time.Now()
		store.Close()
		closed := ingest + time.Since(start)
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		ratios = append(ratios, ingest.Seconds()/ref.Seconds())
		closedRatios = append(closedRatios, closed.Seconds()/ref.Seconds())
		refRates = append(refRates, float64(n)/ref.Seconds())
		ingestRates = append(ingestRates, float64(n)/ingest.Seconds())
		b.Logf("pair %d: reference %.0f msgs/s, ingest %.0f msgs/s, ratio %.2f (%.2f with the final checkpoint)",
			i+1, refRates[i], ingestRates[i], ratios[i], closedRatios[i])
	}
	b.ReportMetric(median(ratios), "median-ratio")
	b.ReportMetric(median(closedRatios), "median-ratio-closed")
	b.ReportMetric(slices.Min(ratios), "min-ratio")
	b.ReportMetric(slices.Max(ratios), "max-ratio")
	b.ReportMetric(median(refRates), "ref-msgs/s")
	b.ReportMetric(median(ingestRates), "ingest-msgs/s")
}

// benchMailbox fills the benchmark mailbox (Dovecot when
// HELPDESK_TEST_DOVECOT is set, else the in-memory server) with
// HELPDESK_BENCH_MESSAGES generated messages (default 2,000).
func benchMailbox(b *testing.B) (*imaptest.Server, int) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("HELPDESK_BENCH_MESSAGES")); err == nil && v > 0 {
		n = v
	}
	srv := imaptest.DovecotOrMem(b)
	srv.AppendGenerated(context.Background(), b, srv.Folder, n, func(i int) []byte { return testmail.Message(i, 0, testmail.Options{}) })
	return srv, n
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
