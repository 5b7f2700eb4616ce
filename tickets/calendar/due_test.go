package calendar

import (
	"math"
	"testing"
	"time"
)

func TestDueDefault(t *testing.T) {
	c := Default()
	sh := mustLoc(t, "Asia/Shanghai")
	ny := mustLoc(t, "America/New_York")
	tests := []struct {
		name  string
		start time.Time
		dur   string
		want  string // Asia/Shanghai wall time
	}{
		// 2026-11-23 is a Monday with no holiday nearby.
		{"after closing rolls to next morning", at(t, sh, "2026-11-23 18:00"), "1bh", "2026-11-24 10:00"},
		{"full day ends at closing", at(t, sh, "2026-11-23 09:00"), "9bh", "2026-11-23 18:00"},
		{"last hour ends at closing", at(t, sh, "2026-11-23 17:00"), "1bh", "2026-11-23 18:00"},
		{"1bd is 9h", at(t, sh, "2026-11-23 09:00"), "1bd", "2026-11-23 18:00"},
		{"before opening", at(t, sh, "2026-11-23 07:30"), "1bd", "2026-11-23 18:00"},
		{"1bd from closing", at(t, sh, "2026-11-23 18:00"), "1bd", "2026-11-24 18:00"},
		{"mid-day 1bd", at(t, sh, "2026-11-23 13:15"), "1bd", "2026-11-24 13:15"},
		{"friday over the weekend", at(t, sh, "2026-11-27 17:00"), "2bh", "2026-11-30 10:00"},
		{"start on saturday", at(t, sh, "2026-11-28 10:00"), "1bh", "2026-11-30 10:00"},
		{"start on sunday night", at(t, sh, "2026-11-29 23:59"), "9bh", "2026-11-30 18:00"},
		{"seconds and nanoseconds kept", at(t, sh, "2026-11-23 12:34:56.789"), "3bd", "2026-11-26 12:34:56.789"},
		{"zero target is the start, even when closed", at(t, sh, "2026-11-28 10:00"), "0bh", "2026-11-28 10:00"},
		{"zero bd", at(t, sh, "2026-11-23 12:00"), "0bd", "2026-11-23 12:00"},
		{"one week", at(t, sh, "2026-11-23 09:00"), "5bd", "2026-11-27 18:00"},
		{"45bh is a week", at(t, sh, "2026-11-23 09:00"), "45bh", "2026-11-27 18:00"},
		{"46bh", at(t, sh, "2026-11-23 09:00"), "46bh", "2026-11-30 10:00"},
		{"half a day", at(t, sh, "2026-11-23 09:00"), "0.5bd", "2026-11-23 13:30"},
		{"fractional hours", at(t, sh, "2026-11-23 17:00"), "1.5bh", "2026-11-24 09:30"},
		{"15bd", at(t, sh, "2026-11-23 09:00"), "15bd", "2026-12-11 18:00"},
		// 25bd to Fri 12-25, then Dec 28-31 (4), Jan 1 2027 holiday, Mon Jan 4.
		{"30bd over new year", at(t, sh, "2026-11-23 09:00"), "30bd", "2027-01-04 18:00"},

		// 2026 mid-autumn (09-25..27) and national day (10-01..07), make-up
		// days Sun 09-20 and Sat 10-10.
		{"into golden week", at(t, sh, "2026-09-30 17:00"), "2bh", "2026-10-08 10:00"},
		{"make-up saturday after golden week", at(t, sh, "2026-10-09 17:00"), "2bh", "2026-10-10 10:00"},
		{"make-up sunday before golden week", at(t, sh, "2026-09-19 10:00"), "1bh", "2026-09-20 10:00"},
		{"mid-autumn friday closed", at(t, sh, "2026-09-24 09:00"), "2bd", "2026-09-28 18:00"},
		{"start inside golden week", at(t, sh, "2026-10-03 11:00"), "1bd", "2026-10-08 18:00"},
		// Sep 14-18 (5), Sun 20 (6), 21-24 (10), 28-30 (13), Oct 8-9 (15),
		// Sat 10 (16), Oct 12-16 (21), 19-23 (26), 26-29 (30).
		{"30bd across golden week", at(t, sh, "2026-09-14 09:00"), "30bd", "2026-10-29 18:00"},
		{"spring festival make-up saturday", at(t, sh, "2026-02-13 18:00"), "1bh", "2026-02-14 10:00"},
		{"over spring festival", at(t, sh, "2026-02-14 18:00"), "1bd", "2026-02-24 18:00"},
		{"2025 national day", at(t, sh, "2025-09-30 18:00"), "1bh", "2025-10-09 10:00"},
		{"2025 make-up sunday", at(t, sh, "2025-09-27 12:00"), "1bh", "2025-09-28 10:00"},

		// Inputs in other zones are converted; results are in Shanghai.
		{"UTC input", time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC), "1bh", "2026-11-24 10:00"},
		{"New York input", time.Date(2026, 11, 22, 20, 0, 0, 0, ny), "9bh", "2026-11-23 18:00"},
		{"fixed offset input", time.Date(2026, 11, 23, 2, 30, 0, 0, time.FixedZone("", 5*3600+1800)), "1bh", "2026-11-23 10:00"},

		// Wall-clock durations ignore the calendar.
		{"48h wall", at(t, sh, "2026-11-28 10:00"), "48h", "2026-11-30 10:00"},
		{"90m wall over closing", at(t, sh, "2026-11-23 17:00"), "90m", "2026-11-23 18:30"},
		{"wall across golden week", at(t, sh, "2026-09-30 17:00"), "24h", "2026-10-01 17:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Due(tt.start, mustDur(t, tt.dur))
			want := at(t, sh, tt.want)
			if !got.Equal(want) {
				t.Errorf("Due(%s, %s) = %s, want %s", tt.start, tt.dur, got, want)
			}
			if got.Location() != c.Location() {
				t.Errorf("Due returned zone %v, want %v", got.Location(), c.Location())
			}
		})
	}
}

func TestDueSplitShifts(t *testing.T) {
	c := mustNew(t, Spec{Timezone: "UTC+08:00", Hours: weekdayHours("09:00-12:00,13:30-18:00")})
	if got := c.DayLength(); got != 7*time.Hour+30*time.Minute {
		t.Fatalf("DayLength = %v, want 7h30m", got)
	}
	loc := c.Location()
	tests := []struct{ start, dur, want string }{
		{"2026-11-23 09:00", "3bh", "2026-11-23 12:00"}, // end of morning shift
		{"2026-11-23 11:00", "2bh", "2026-11-23 14:30"},
		{"2026-11-23 12:00", "1bh", "2026-11-23 14:30"},
		{"2026-11-23 12:30", "1bh", "2026-11-23 14:30"},
		{"2026-11-23 09:00", "1bd", "2026-11-23 18:00"},
		{"2026-11-23 12:00", "0.5bd", "2026-11-23 17:15"},
		{"2026-11-23 17:00", "2bh", "2026-11-24 10:00"},
		{"2026-11-27 11:00", "1bd", "2026-11-30 11:00"},
		{"2026-11-23 09:00", "15bd", "2026-12-11 18:00"},
	}
	for _, tt := range tests {
		got := c.Due(at(t, loc, tt.start), mustDur(t, tt.dur))
		if want := at(t, loc, tt.want); !got.Equal(want) {
			t.Errorf("Due(%s, %s) = %s, want %s", tt.start, tt.dur, got, want)
		}
	}
}

func TestDueWorkdayUsesStandardHours(t *testing.T) {
	// Fridays are short; the standard day (most common) is 09:00-18:00, so
	// a make-up Saturday opens 09:00-18:00 and a workday listed on a Friday
	// gets the standard hours too.
	h := weekdayHours("09:00-18:00")
	h["fri"] = "09:00-15:00"
	c := mustNew(t, Spec{Timezone: "UTC+8", Hours: h, Workdays: []string{"2026-11-28", "2026-12-04"}, Holidays: []string{"2026-11-25..2026-11-26"}})
	loc := c.Location()
	tests := []struct{ start, dur, want string }{
		{"2026-11-27 14:00", "2bh", "2026-11-28 10:00"}, // short Friday, make-up Saturday
		{"2026-11-28 17:00", "2bh", "2026-11-30 10:00"},
		{"2026-11-24 17:00", "2bh", "2026-11-27 10:00"}, // configured holidays Wed-Thu
		{"2026-12-04 14:00", "3bh", "2026-12-04 17:00"}, // workday on a Friday: full hours
		{"2026-12-11 14:00", "2bh", "2026-12-14 10:00"}, // ordinary Friday closes 15:00
	}
	for _, tt := range tests {
		got := c.Due(at(t, loc, tt.start), mustDur(t, tt.dur))
		if want := at(t, loc, tt.want); !got.Equal(want) {
			t.Errorf("Due(%s, %s) = %s, want %s", tt.start, tt.dur, got, want)
		}
	}
}

func TestDueDSTZone(t *testing.T) {
	c := mustNew(t, Spec{Timezone: "America/New_York"})
	ny := c.Location()
	// 2026-03-08 (Sunday) clocks go forward; 2026-11-01 (Sunday) back.
	tests := []struct{ start, dur, want string }{
		{"2026-03-06 17:00", "2bh", "2026-03-09 10:00"},
		{"2026-10-30 17:00", "2bh", "2026-11-02 10:00"},
		{"2026-03-06 09:00", "2bd", "2026-03-09 18:00"},
	}
	for _, tt := range tests {
		got := c.Due(at(t, ny, tt.start), mustDur(t, tt.dur))
		if want := at(t, ny, tt.want); !got.Equal(want) {
			t.Errorf("Due(%s, %s) = %s, want %s", tt.start, tt.dur, got, want)
		}
	}
}

func TestDueAlwaysOpen(t *testing.T) {
	h := map[string]string{}
	for _, k := range dayKeys {
		h[k] = "00:00-24:00"
	}
	c := mustNew(t, Spec{Timezone: "UTC", Hours: h})
	start := time.Date(2026, 5, 3, 7, 11, 13, 5, time.UTC)
	for _, d := range []string{"1bh", "24bh", "1bd", "30bd", "0.001bh"} {
		dur := mustDur(t, d)
		if got, want := c.Due(start, dur), start.Add(c.BusinessTime(dur)); !got.Equal(want) {
			t.Errorf("Due(%s) = %s, want %s", d, got, want)
		}
	}
}

func TestElapsed(t *testing.T) {
	c := Default()
	sh := c.Location()
	tests := []struct {
		from, to string
		want     time.Duration
	}{
		{"2026-11-23 17:00", "2026-11-24 10:00", 2 * time.Hour},
		{"2026-11-27 17:00", "2026-11-30 10:00", 2 * time.Hour},
		{"2026-11-23 12:00", "2026-11-23 12:00", 0},
		{"2026-11-28 10:00", "2026-11-29 10:00", 0},
		{"2026-11-23 18:00", "2026-11-24 09:00", 0},
		{"2026-11-23 09:00", "2026-11-30 09:00", 45 * time.Hour},
		{"2026-11-24 10:00", "2026-11-23 17:00", -2 * time.Hour},
		{"2026-09-30 17:00", "2026-10-08 10:00", 2 * time.Hour},
		{"2026-10-09 17:00", "2026-10-10 10:00", 2 * time.Hour},
		{"2026-09-14 09:00", "2026-10-29 18:00", 30 * 9 * time.Hour},
		{"2026-11-23 08:00:00.5", "2026-11-23 09:00:00.5", 500 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := c.Elapsed(at(t, sh, tt.from), at(t, sh, tt.to)); got != tt.want {
			t.Errorf("Elapsed(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
	// Zones of the inputs do not matter.
	from := at(t, sh, "2026-11-23 17:00").UTC()
	to := at(t, sh, "2026-11-24 10:00").In(mustLoc(t, "America/New_York"))
	if got := c.Elapsed(from, to); got != 2*time.Hour {
		t.Errorf("Elapsed across zones = %v, want 2h", got)
	}
}

func TestIsOpenNextOpen(t *testing.T) {
	c := Default()
	split := mustNew(t, Spec{Timezone: "UTC+8", Hours: weekdayHours("09:00-12:00,13:30-18:00")})
	tests := []struct {
		cal      *Calendar
		at       string
		open     bool
		nextOpen string
	}{
		{c, "2026-11-23 09:00", true, "2026-11-23 09:00"},
		{c, "2026-11-23 17:59:59.999999999", true, "2026-11-23 17:59:59.999999999"},
		{c, "2026-11-23 18:00", false, "2026-11-24 09:00"},
		{c, "2026-11-23 08:59", false, "2026-11-23 09:00"},
		{c, "2026-11-27 20:00", false, "2026-11-30 09:00"},
		{c, "2026-11-28 10:00", false, "2026-11-30 09:00"},
		{c, "2026-10-01 10:00", false, "2026-10-08 09:00"},
		{c, "2026-09-30 18:00", false, "2026-10-08 09:00"},
		{c, "2026-10-09 18:00", false, "2026-10-10 09:00"},
		{c, "2026-10-10 10:00", true, "2026-10-10 10:00"},
		{c, "2026-02-14 18:00", false, "2026-02-24 09:00"},
		{split, "2026-11-23 12:00", false, "2026-11-23 13:30"},
		{split, "2026-11-23 13:30", true, "2026-11-23 13:30"},
		{split, "2026-11-23 11:59", true, "2026-11-23 11:59"},
	}
	for _, tt := range tests {
		loc := tt.cal.Location()
		ts := at(t, loc, tt.at)
		if got := tt.cal.IsOpen(ts); got != tt.open {
			t.Errorf("IsOpen(%s) = %v, want %v", tt.at, got, tt.open)
		}
		if got, want := tt.cal.NextOpen(ts), at(t, loc, tt.nextOpen); !got.Equal(want) {
			t.Errorf("NextOpen(%s) = %s, want %s", tt.at, got, want)
		}
	}
}

func TestElapsedSaturates(t *testing.T) {
	c := Default()
	a := time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC)
	b := time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)
	if got := c.Elapsed(a, b); got != math.MaxInt64 {
		t.Errorf("Elapsed over 600 years = %v, want saturation", got)
	}
	if got := c.Elapsed(b, a); got != math.MinInt64 {
		t.Errorf("reverse Elapsed over 600 years = %v, want saturation", got)
	}
}
