package calendar

import (
	"testing"
	"time"
)

// benchStarts spread over weeks around the 2026 golden week so the search
// sees holidays, make-up days and ordinary weeks.
func benchStarts(b *testing.B) []time.Time {
	sh := mustLoc(b, "Asia/Shanghai")
	starts := make([]time.Time, 64)
	base := time.Date(2026, 8, 3, 8, 17, 0, 0, sh)
	for i := range starts {
		starts[i] = base.Add(time.Duration(i) * 37 * time.Hour)
	}
	return starts
}

func BenchmarkDue30bd(b *testing.B) {
	c := Default()
	d := BusinessDaysOf(30)
	starts := benchStarts(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = c.Due(starts[i%len(starts)], d)
		i++
	}
}

func BenchmarkDue8bh(b *testing.B) {
	c := Default()
	d := BusinessHoursOf(8)
	starts := benchStarts(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = c.Due(starts[i%len(starts)], d)
		i++
	}
}

func BenchmarkElapsed(b *testing.B) {
	c := Default()
	starts := benchStarts(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := starts[i%len(starts)]
		_ = c.Elapsed(s, s.Add(42*24*time.Hour))
		i++
	}
}

func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = Default()
	}
}
