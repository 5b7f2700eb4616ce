package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox/imaptest"
	"helpdesk/mailbox/smtptest"
)

// BenchmarkPollOnceBinary runs the real binary, `helpdesk poll --once`,
// over a mailbox of typical mail plus one message with a 25 MB attachment,
// and reports its peak resident memory and throughput, acknowledgements
// included.
//
// The peak is the child's VmHWM from /proc, read every 5 ms while it runs:
// the kernel's maxrss of a child is no use here, because Go starts
// children with vfork and exec records the parent's high-water mark (this
// benchmark's own, a few hundred MB after generating the mailbox) as the
// child's maxrss.
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
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		hwm := watchHighWater(cmd.Process.Pid)
		err := cmd.Wait()
		el := time.Since(t0)
		b.StopTimer()
		if err != nil {
			b.Fatalf("poll --once: %v\n%s", err, out.Bytes())
		}
		kb := hwm()
		if kb == 0 {
			b.Fatal("no VmHWM read from /proc: cannot measure the peak here")
		}
		peakKB = max(peakKB, kb)
		b.ReportMetric(float64(n)/el.Seconds(), "msgs/s")
	}
	b.ReportMetric(float64(peakKB)/1024, "peak-rss-MB")
}

// watchHighWater reads the VmHWM (peak resident set, in kB) of process pid
// every 5 ms until it is gone; the returned function stops watching and
// gives the last value read. VmHWM only grows, so the last read misses at
// most the growth of the final 5 ms.
func watchHighWater(pid int) func() int64 {
	var last atomic.Int64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		path := fmt.Sprintf("/proc/%d/status", pid)
		for {
			if st, err := os.ReadFile(path); err == nil {
				for _, line := range strings.Split(string(st), "\n") {
					if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
						if kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64); err == nil && kb > last.Load() {
							last.Store(kb)
						}
					}
				}
			}
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() int64 {
		close(done)
		<-stopped
		return last.Load()
	}
}
