package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox/imaptest"
	"helpdesk/mailbox/smtptest"
)

// BenchmarkPollOnceBinary runs the real binary, `helpdesk poll --once`,
// over a mailbox of typical mail plus one message with a 25 MB attachment,
// and reports its peak resident memory (the kernel's maxrss of the child)
// and throughput, acknowledgements included.
//
//	eval "$(scripts/services.sh env)"
//	HELPDESK_BENCH_MESSAGES=10000 go test -run '^$' -bench PollOnceBinary -benchtime 1x -timeout 30m ./cmd/helpdesk/
func BenchmarkPollOnceBinary(b *testing.B) {
	n := 2000
	if v, err := strconv.Atoi(os.Getenv("HELPDESK_BENCH_MESSAGES")); err == nil && v > 0 {
		n = v
	}
	bin := filepath.Join(b.TempDir(), "helpdesk")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("building: %v\n%s", err, out)
	}
	imap := imaptest.DovecotOrMem(b)
	ctx := context.Background()
	imap.AppendGenerated(ctx, b, imap.Folder, n, func(i int) []byte { return testmail.Message(i, 0, testmail.Options{}) })
	big := os.Getenv("HELPDESK_BENCH_BIG") != "0"
	if big {
		imap.Append(ctx, b, imap.Folder, testmail.WithAttachment(n, 25<<20))
	}
	smtp := smtptest.Start(b, smtptest.DiscardBodies())
	var peakKB int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cfg := writeConfig(b, b.TempDir(), imap, smtp)
		cmd := exec.Command(bin, "poll", "--once", "--config", cfg)
		b.StartTimer()
		t0 := time.Now()
		out, err := cmd.CombinedOutput()
		el := time.Since(t0)
		b.StopTimer()
		if err != nil {
			b.Fatalf("poll --once: %v\n%s", err, out)
		}
		ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		peakKB = max(peakKB, ru.Maxrss)
		b.ReportMetric(float64(n)/el.Seconds(), "msgs/s")
	}
	b.ReportMetric(float64(peakKB)/1024, "peak-rss-MB")
}
