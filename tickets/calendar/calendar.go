package calendar

import (
	"math"
	"slices"
	"time"
)

// maxElapsedDays bounds the day distance Elapsed computes exactly: even a
// calendar open around the clock accrues less than math.MaxInt64 ns in it.
const maxElapsedDays = 100_000

// span is one shift: [start, end) in nanoseconds since local midnight.
type span struct{ start, end int64 }

// schedule is one day's opening hours.
type schedule struct {
	spans []span
	total int64 // sum of span lengths, ns
}

// openBefore returns the open time of the day before wall position ns.
func (s *schedule) openBefore(ns int64) int64 {
	var acc int64
	for _, sp := range s.spans {
		if ns >= sp.end {
			acc += sp.end - sp.start
			continue
		}
		if ns > sp.start {
			acc += ns - sp.start
		}
		break
	}
	return acc
}

func (s *schedule) contains(ns int64) bool {
	for _, sp := range s.spans {
		if ns >= sp.start && ns < sp.end {
			return true
		}
	}
	return false
}

func (s *schedule) equal(o *schedule) bool {
	return slices.Equal(s.spans, o.spans)
}

// Calendar is an immutable business calendar: weekly opening hours in one
// time zone, minus holidays, plus make-up working days. It is safe for
// concurrent use.
//
// Internally every instant is a civil day number (days since 1970-01-01 on
// the calendar's wall clock) plus nanoseconds since that day's midnight.
// The open time between two days is whole weeks times the weekly open time,
// plus a prefix-sum lookup for the leftover weekdays, plus a prefix sum over
// the sorted exception days (holidays and workdays) in the range; so Due and
// Elapsed cost a few binary searches, whatever the distance.
type Calendar struct {
	spec Spec
	loc  *time.Location

	week     [7]schedule // by time.Weekday
	std      schedule    // the standard day: hours of make-up workdays
	closed   schedule    // always empty: the hours of a holiday
	weekOpen int64       // open ns in a week without exceptions
	pre      [15]int64   // pre[i] = open ns of weekdays 0..i-1 (mod 7)

	exDays   []int64 // sorted civil days that differ from the weekly pattern
	exClosed []bool  // exDays[i] is a holiday (else a workday)
	exCum    []int64 // exCum[i] = sum of (actual - weekly) open ns of exDays[:i]
}

// mergeExceptions combines preset and configured dates. Configured dates
// win over preset ones: a configured workday reopens a preset holiday and a
// configured holiday closes a preset workday. The result maps day -> closed.
func mergeExceptions(presetHol, presetWork, hol, work map[int64]struct{}) map[int64]bool {
	ex := make(map[int64]bool, len(presetHol)+len(presetWork)+len(hol)+len(work))
	for d := range presetWork {
		ex[d] = false
	}
	for d := range presetHol {
		ex[d] = true
	}
	for d := range work {
		ex[d] = false
	}
	for d := range hol {
		ex[d] = true
	}
	return ex
}

func build(spec Spec, loc *time.Location, week [7]schedule, ex map[int64]bool) (*Calendar, error) {
	c := &Calendar{spec: spec, loc: loc, week: week}
	for i := range 14 {
		c.pre[i+1] = c.pre[i] + week[i%7].total
	}
	c.weekOpen = c.pre[7]
	if c.weekOpen == 0 {
		return nil, specErr("calendar.hours", "no open hours in the week")
	}
	c.std = standardDay(week)

	c.exDays = make([]int64, 0, len(ex))
	for d := range ex {
		c.exDays = append(c.exDays, d)
	}
	slices.Sort(c.exDays)
	c.exClosed = make([]bool, len(c.exDays))
	c.exCum = make([]int64, len(c.exDays)+1)
	for i, d := range c.exDays {
		closed := ex[d]
		c.exClosed[i] = closed
		actual := c.std.total
		if closed {
			actual = 0
		}
		c.exCum[i+1] = c.exCum[i] + actual - week[weekday(d)].total
	}
	return c, nil
}

// standardDay picks the most common non-empty daily schedule, Monday first
// on a tie. Its length is one business day and make-up workdays use it.
func standardDay(week [7]schedule) schedule {
	order := [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	best, bestN := -1, 0
	for i, a := range order {
		if week[a].total == 0 {
			continue
		}
		n := 0
		for _, b := range order {
			if week[a].equal(&week[b]) {
				n++
			}
		}
		if n > bestN {
			best, bestN = i, n
		}
	}
	return week[order[best]]
}

// Location is the calendar's time zone; Due returns instants in it.
func (c *Calendar) Location() *time.Location { return c.loc }

// DayLength is the open time of one business day (the standard day).
func (c *Calendar) DayLength() time.Duration { return time.Duration(c.std.total) }

// WeekLength is the open time of a week without holidays or workdays.
func (c *Calendar) WeekLength() time.Duration { return time.Duration(c.weekOpen) }

// BusinessTime converts a business duration to the open time it stands
// for (1bd = DayLength). For a wall-clock duration it returns the duration.
// The result is capped at MaxUnits standard days.
func (c *Calendar) BusinessTime(d Duration) time.Duration {
	switch d.unit {
	case BusinessHours:
		return time.Duration(min(d.milli, MaxUnits*1000) * (int64(time.Hour) / 1000))
	case BusinessDays:
		m := min(d.milli, MaxUnits*1000)
		return time.Duration((m/1000)*c.std.total + (m%1000)*c.std.total/1000)
	default:
		return d.wall
	}
}

// Due returns the deadline for duration d counted from start, in the
// calendar's zone. For a business duration it is the earliest instant at
// which the open time accrued since start equals the target: closed time
// does not count, a target met exactly at closing time is due at that
// closing time, and a zero target is due at start. A wall-clock duration is
// simply added.
func (c *Calendar) Due(start time.Time, d Duration) time.Time {
	if d.unit == Wall {
		return start.Add(max(d.wall, 0)).In(c.loc)
	}
	r := int64(c.BusinessTime(d))
	if r <= 0 {
		return start.In(c.loc)
	}
	day, ns := c.civil(start)
	s := c.sched(day)
	r += s.openBefore(ns) // count from the start of day: one search for everything
	e, sp, x := c.seek(day, r)
	return c.instant(e, sp.start+x)
}

// Elapsed returns the open time between from and to; negative when to is
// before from. Elapsed(s, Due(s, d)) == BusinessTime(d) for business d.
// Spans longer than maxElapsedDays saturate instead of overflowing.
func (c *Calendar) Elapsed(from, to time.Time) time.Duration {
	d1, n1 := c.civil(from)
	d2, n2 := c.civil(to)
	if d2-d1 > maxElapsedDays {
		return math.MaxInt64
	}
	if d1-d2 > maxElapsedDays {
		return math.MinInt64
	}
	s1, s2 := c.sched(d1), c.sched(d2)
	return time.Duration(c.openRange(d1, d2) - s1.openBefore(n1) + s2.openBefore(n2))
}

// IsOpen reports whether t falls inside opening hours (shifts are
// half-open: open at 09:00, closed at 18:00).
func (c *Calendar) IsOpen(t time.Time) bool {
	day, ns := c.civil(t)
	s := c.sched(day)
	return s.contains(ns)
}

// NextOpen returns t (in the calendar's zone) when the calendar is open at
// t, else the next opening instant.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	day, ns := c.civil(t)
	s := c.sched(day)
	if s.contains(ns) {
		return t.In(c.loc)
	}
	e, sp, _ := c.seek(day, s.openBefore(ns)+1)
	return c.instant(e, sp.start)
}

// seek finds where the open time counted from the start of day d reaches
// r (> 0): the day e, the shift in it and the offset x (0 < x <= shift
// length) into that shift.
func (c *Calendar) seek(d, r int64) (int64, span, int64) {
	// Gallop from an estimate in whole weeks to a day hi with enough open
	// time, then binary-search the last day lo whose start is short of r.
	lo := d
	step := 7 * (r/c.weekOpen + 1)
	hi := d + step
	for c.openRange(d, hi) < r {
		lo = hi
		step *= 2
		hi = lo + step
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if c.openRange(d, mid) < r {
			lo = mid
		} else {
			hi = mid
		}
	}
	x := r - c.openRange(d, lo)
	s := c.sched(lo)
	for _, sp := range s.spans {
		if n := sp.end - sp.start; x > n {
			x -= n
			continue
		}
		return lo, sp, x
	}
	// Unreachable: openRange(d, lo+1) >= r means day lo holds the rest.
	panic("calendar: seek overran its day")
}

// openRange returns the open time of the whole days [a, b).
func (c *Calendar) openRange(a, b int64) int64 {
	if b < a {
		return -c.openRange(b, a)
	}
	n := b - a
	w := weekday(a)
	base := (n/7)*c.weekOpen + c.pre[w+int(n%7)] - c.pre[w]
	i, _ := slices.BinarySearch(c.exDays, a)
	j, _ := slices.BinarySearch(c.exDays, b)
	return base + c.exCum[j] - c.exCum[i]
}

// sched returns the opening hours of civil day d.
func (c *Calendar) sched(d int64) *schedule {
	if i, found := slices.BinarySearch(c.exDays, d); found {
		if c.exClosed[i] {
			return &c.closed
		}
		return &c.std
	}
	return &c.week[weekday(d)]
}

// civil maps an instant to the calendar's wall clock: civil day number and
// nanoseconds since that day's midnight.
func (c *Calendar) civil(t time.Time) (day, ns int64) {
	_, off := t.In(c.loc).Zone()
	sec := t.Unix() + int64(off)
	day = floorDiv(sec, 86400)
	return day, (sec-day*86400)*int64(time.Second) + int64(t.Nanosecond())
}

// instant maps a wall-clock position back to an instant in the calendar's
// zone.
func (c *Calendar) instant(day, ns int64) time.Time {
	y, m, d := civilFromDays(day)
	return time.Date(y, time.Month(m), d, 0, 0, 0, int(ns), c.loc)
}

// weekday of civil day d; day 0 (1970-01-01) was a Thursday.
func weekday(d int64) int {
	return int(floorMod(d+4, 7))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// daysFromCivil and civilFromDays convert between proleptic Gregorian dates
// and days since 1970-01-01 (H. Hinnant's algorithms), avoiding time.Time
// allocations and zone lookups on the hot path.
func daysFromCivil(y, m, d int) int64 {
	yy := int64(y)
	if m <= 2 {
		yy--
	}
	era := floorDiv(yy, 400)
	yoe := yy - era*400
	mp := int64(m) + 9
	if m > 2 {
		mp = int64(m) - 3
	}
	doy := (153*mp+2)/5 + int64(d) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	yy := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	if mp < 10 {
		m = int(mp + 3)
	} else {
		m = int(mp - 9)
	}
	if m <= 2 {
		yy++
	}
	return int(yy), m, d
}

// PresetLastYear returns the last year whose holidays the calendar's
// preset covers (0 for preset none). Deadlines past it fall back to the
// weekly hours plus configured dates; callers may warn as it approaches.
func (c *Calendar) PresetLastYear() int {
	if c.spec.Preset == PresetCN {
		return cnPresetLastYear
	}
	return 0
}
