package calendar

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// refCal is a deliberately simple reference calendar: it answers "is the
// minute starting at t open?" from hand-written minute spans and a map of
// dates, and Due/Elapsed step through time one minute at a time. It shares
// nothing with the fast code except the zone and the preset's source table.
type refCal struct {
	loc   *time.Location
	week  map[time.Weekday][][2]int // minute spans [start, end)
	std   [][2]int
	state map[[3]int]bool // date -> closed (true) or make-up workday (false)
}

func newRef(loc *time.Location, week map[time.Weekday][][2]int, std [][2]int, preset bool, hol, work []string) *refCal {
	r := &refCal{loc: loc, week: week, std: std, state: map[[3]int]bool{}}
	mark := func(entries []string, closed bool) {
		for _, e := range entries {
			a, b, isRange := strings.Cut(e, "..")
			if !isRange {
				b = a
			}
			from, _ := time.Parse(time.DateOnly, a)
			to, _ := time.Parse(time.DateOnly, b)
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				r.state[[3]int{d.Year(), int(d.Month()), d.Day()}] = closed
			}
		}
	}
	if preset {
		ph, pw := cnPreset()
		mark(pw, false)
		mark(ph, true)
	}
	mark(work, false)
	mark(hol, true)
	return r
}

func (r *refCal) open(t time.Time) bool {
	lt := t.In(r.loc)
	spans := r.week[lt.Weekday()]
	if closed, ok := r.state[[3]int{lt.Year(), int(lt.Month()), lt.Day()}]; ok {
		spans = r.std
		if closed {
			spans = nil
		}
	}
	m := lt.Hour()*60 + lt.Minute()
	for _, s := range spans {
		if m >= s[0] && m < s[1] {
			return true
		}
	}
	return false
}

// due counts open minutes from start (minute-aligned) until mins accrued.
func (r *refCal) due(start time.Time, mins int) time.Time {
	t := start
	for acc := 0; acc < mins; t = t.Add(time.Minute) {
		if r.open(t) {
			acc++
		}
	}
	return t
}

func (r *refCal) elapsed(from, to time.Time) time.Duration {
	n := 0
	for t := from; t.Before(to); t = t.Add(time.Minute) {
		if r.open(t) {
			n++
		}
	}
	return time.Duration(n) * time.Minute
}

type propCase struct {
	name string
	cal  *Calendar
	ref  *refCal
}

func m(h, mm int) int { return h*60 + mm }

func propCases(t testing.TB) []propCase {
	nineToSix := [][2]int{{m(9, 0), m(18, 0)}}
	monFri := func(s [][2]int) map[time.Weekday][][2]int {
		return map[time.Weekday][][2]int{time.Monday: s, time.Tuesday: s, time.Wednesday: s, time.Thursday: s, time.Friday: s}
	}

	def := Default()

	splitSpans := [][2]int{{m(9, 0), m(12, 0)}, {m(13, 30), m(18, 0)}}
	splitWeek := monFri(splitSpans)
	splitWeek[time.Saturday] = [][2]int{{m(10, 0), m(14, 0)}}
	splitHol := []string{"2026-10-10", "2025-12-24..2025-12-26", "2027-03-01"}
	splitWork := []string{"2026-10-07", "2027-03-07", "2025-02-03"}
	hours := weekdayHours("09:00-12:00,13:30-18:00")
	hours["sat"] = "10:00-14:00"
	split := mustNew(t, Spec{Timezone: "UTC+08:00", Preset: "cn", Hours: hours, Holidays: splitHol, Workdays: splitWork})

	nyHol := []string{"2025-07-04", "2025-12-25", "2026-01-01", "2026-11-26..2026-11-27", "2027-07-05"}
	ny := mustNew(t, Spec{Timezone: "America/New_York", Hours: weekdayHours("08:30-17:15"), Holidays: nyHol})

	// Shifts touching midnight, a lone Sunday hour, in a half-hour zone.
	nightSpans := [][2]int{{0, m(3, 0)}, {m(22, 0), m(24, 0)}}
	night := mustNew(t, Spec{Timezone: "Asia/Kolkata", Hours: map[string]string{
		"mon": "00:00-03:00,22:00-24:00", "wed": "00:00-03:00,22:00-24:00", "sun": "12:00-13:00",
	}, Workdays: []string{"2026-06-06", "2025-11-15..2025-11-16"}, Holidays: []string{"2026-06-08"}})
	nightWeek := map[time.Weekday][][2]int{time.Monday: nightSpans, time.Wednesday: nightSpans, time.Sunday: {{m(12, 0), m(13, 0)}}}

	return []propCase{
		{"default", def, newRef(def.Location(), monFri(nineToSix), nineToSix, true, nil, nil)},
		{"split+cn+overrides", split, newRef(split.Location(), splitWeek, splitSpans, true, splitHol, splitWork)},
		{"new-york", ny, newRef(ny.Location(), monFri([][2]int{{m(8, 30), m(17, 15)}}), [][2]int{{m(8, 30), m(17, 15)}}, false, nyHol, nil)},
		{"night", night, newRef(night.Location(), nightWeek, nightSpans, false, []string{"2026-06-08"}, []string{"2026-06-06", "2025-11-15..2025-11-16"})},
	}
}

// TestDueMatchesReference cross-checks the fast Due and Elapsed against
// the minute-stepping reference on random starts over 2025-2027.
func TestDueMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 1125))
	lo := time.Date(2024, 12, 25, 0, 0, 0, 0, time.UTC)
	span := int(time.Date(2027, 12, 20, 0, 0, 0, 0, time.UTC).Sub(lo) / time.Minute)
	n := 150
	if testing.Short() {
		n = 30
	}
	for _, pc := range propCases(t) {
		t.Run(pc.name, func(t *testing.T) {
			dayMin := int(pc.cal.DayLength() / time.Minute)
			for i := range n {
				start := lo.Add(time.Duration(rng.IntN(span)) * time.Minute)
				// Half the starts exactly on a shift boundary or midnight.
				if i%2 == 0 {
					lt := start.In(pc.cal.Location())
					start = time.Date(lt.Year(), lt.Month(), lt.Day(), []int{0, 9, 12, 13, 17, 18, 22}[rng.IntN(7)], []int{0, 30}[rng.IntN(2)], 0, 0, pc.cal.Location())
				}
				var d Duration
				var mins int
				switch {
				case i%20 == 0: // long: up to 30bd
					k := 1 + rng.IntN(30)
					d, mins = BusinessDaysOf(k), k*dayMin
				case i%3 == 0:
					k := rng.IntN(4)
					d, mins = BusinessDaysOf(k), k*dayMin
				default: // business hours in steps of 3 minutes (0.05bh)
					k := rng.IntN(3 * dayMin / 3)
					d, mins = Duration{unit: BusinessHours, milli: int64(k) * 50}, 3*k
				}
				want := pc.ref.due(start, mins)
				got := pc.cal.Due(start, d)
				if !got.Equal(want) {
					t.Fatalf("case %d: Due(%s, %s) = %s, reference %s", i, start.In(pc.cal.Location()), d, got, want.In(pc.cal.Location()))
				}
				if i%5 == 0 {
					to := start.Add(time.Duration(rng.IntN(20*24*60)) * time.Minute)
					if got, want := pc.cal.Elapsed(start, to), pc.ref.elapsed(start, to); got != want {
						t.Fatalf("case %d: Elapsed(%s, %s) = %v, reference %v", i, start, to, got, want)
					}
				}
			}
		})
	}
}

// TestDueProperties checks algebraic properties on random nanosecond
// starts, including far from the preset years and before 1970.
func TestDueProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 42))
	ranges := [][2]time.Time{
		{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)},
		{time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2150, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	zones := []*time.Location{time.UTC, mustLoc(t, "America/New_York"), mustLoc(t, "Asia/Shanghai"), time.FixedZone("", -3*3600-1800)}
	n := 400
	if testing.Short() {
		n = 80
	}
	randBiz := func() Duration {
		if rng.IntN(2) == 0 {
			return Duration{unit: BusinessHours, milli: rng.Int64N(200_000)}
		}
		return Duration{unit: BusinessDays, milli: rng.Int64N(20_000)}
	}
	for _, pc := range propCases(t) {
		t.Run(pc.name, func(t *testing.T) {
			c := pc.cal
			for i := range n {
				r := ranges[i%2]
				start := r[0].Add(time.Duration(rng.Int64N(int64(r[1].Sub(r[0])))))
				start = start.In(zones[rng.IntN(len(zones))])
				a, b := randBiz(), randBiz()
				a.unit = b.unit // sums need one unit
				sum := Duration{unit: a.unit, milli: a.milli + b.milli}

				da := c.Due(start, a)
				if got, want := c.Due(start, sum), c.Due(da, b); !got.Equal(want) {
					t.Fatalf("Due(s, a+b) = %s, Due(Due(s, a), b) = %s (s=%s a=%s b=%s)", got, want, start, a, b)
				}
				if got := c.Elapsed(start, da); got != c.BusinessTime(a) {
					t.Fatalf("Elapsed(s, Due(s, %s)) = %v, want %v (s=%s)", a, got, c.BusinessTime(a), start)
				}
				if got := c.Elapsed(da, start); got != -c.BusinessTime(a) {
					t.Fatalf("Elapsed reversed = %v, want %v", got, -c.BusinessTime(a))
				}
				lo, hi := a, sum
				if b.milli == 0 {
					hi = a
				}
				if c.Due(start, lo).After(c.Due(start, hi)) {
					t.Fatalf("Due not monotonic: %s > %s", lo, hi)
				}
				if da.Before(start) {
					t.Fatalf("Due(%s, %s) = %s is before the start", start, a, da)
				}
				if a.milli > 0 {
					// The target is met at the end of open time: the instant
					// just before is open, and no earlier instant qualifies.
					if !c.IsOpen(da.Add(-1)) {
						t.Fatalf("Due(%s, %s) = %s but the calendar is closed just before", start, a, da)
					}
					if c.Elapsed(start, da.Add(-1)) >= c.BusinessTime(a) {
						t.Fatalf("Due(%s, %s) = %s is not the earliest instant", start, a, da)
					}
				} else if !da.Equal(start) {
					t.Fatalf("zero target: Due = %s, want start %s", da, start)
				}
				if da.Location() != c.Location() {
					t.Fatalf("Due in zone %v", da.Location())
				}
				// The input's zone does not matter.
				if got := c.Due(start.UTC(), a); !got.Equal(da) {
					t.Fatalf("Due(UTC start) = %s, want %s", got, da)
				}

				no := c.NextOpen(start)
				if no.Before(start) || !c.IsOpen(no) || c.Elapsed(start, no) != 0 {
					t.Fatalf("NextOpen(%s) = %s: before start, closed, or skips open time", start, no)
				}
				if c.IsOpen(start) != no.Equal(start) {
					t.Fatalf("IsOpen(%s) = %v but NextOpen = %s", start, c.IsOpen(start), no)
				}
			}
		})
	}
}

// TestSuiteIgnoresLocal guards the rule that results never depend on the
// host zone: the whole suite runs under TZ=UTC, America/New_York and
// Asia/Shanghai; this check makes a mistake visible in any one of them.
func TestSuiteIgnoresLocal(t *testing.T) {
	c := Default()
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) // Mon 18:00 in Shanghai
	got := c.Due(start, BusinessHoursOf(1))
	if want := "2026-11-24T10:00:00+08:00"; got.Format(time.RFC3339) != want {
		t.Errorf("Due = %s, want %s (host TZ leaked in?)", got.Format(time.RFC3339), want)
	}
}
