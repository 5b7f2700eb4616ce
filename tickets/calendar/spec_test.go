package calendar

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func TestNewValidation(t *testing.T) {
	tests := []struct {
		name string
		spec Spec
		want []string // substrings of the error; nil = valid
	}{
		{"zero spec is valid", Spec{}, nil},
		{"iana zone", Spec{Timezone: "Europe/Berlin"}, nil},
		{"offset forms", Spec{Timezone: "UTC+8"}, nil},
		{"bad zone", Spec{Timezone: "Mars/Olympus"}, []string{`calendar.timezone: unknown time zone "Mars/Olympus"`}},
		{"local refused", Spec{Timezone: "Local"}, []string{"calendar.timezone:", "not allowed"}},
		{"offset out of range", Spec{Timezone: "UTC+15"}, []string{"calendar.timezone:", "out of range"}},
		{"bad offset", Spec{Timezone: "UTC+8:3"}, []string{"calendar.timezone:", "bad offset"}},
		{"unknown preset", Spec{Preset: "us"}, []string{`calendar.preset: unknown preset "us"`}},
		{"preset case-insensitive", Spec{Preset: "CN"}, nil},
		{"bad hours", Spec{Hours: map[string]string{"mon": "9-18"}}, []string{"calendar.hours.mon:", `bad time "9" (want HH:MM)`}},
		{"unknown day", Spec{Hours: map[string]string{"monday": "09:00-18:00"}}, []string{"calendar.hours.monday: unknown day"}},
		{"inverted shift", Spec{Hours: map[string]string{"tue": "18:00-09:00"}}, []string{"calendar.hours.tue:", "ends before it starts"}},
		{"overlapping shifts", Spec{Hours: map[string]string{"wed": "09:00-13:00,12:00-18:00"}}, []string{"calendar.hours.wed:", "overlaps"}},
		{"no hours at all", Spec{Hours: map[string]string{"mon": "closed"}}, []string{"calendar.hours: no open hours"}},
		{"bad holiday", Spec{Holidays: []string{"2026-10-01", "2026-10-02", "2026-13-01"}}, []string{`calendar.holidays[2]: bad date "2026-13-01"`}},
		{"bad workday", Spec{Workdays: []string{"tomorrow"}}, []string{`calendar.workdays[0]: bad date "tomorrow"`}},
		{"inverted range", Spec{Holidays: []string{"2026-10-07..2026-10-01"}}, []string{"calendar.holidays[0]:", "ends before it starts"}},
		{"huge range", Spec{Holidays: []string{"2026-01-01..2036-01-01"}}, []string{"calendar.holidays[0]:", "longer than 366 days"}},
		{"holiday and workday", Spec{Holidays: []string{"2026-10-01..2026-10-07"}, Workdays: []string{"2026-09-20", "2026-10-03"}}, []string{"calendar.workdays[1]: 2026-10-03 is also listed in calendar.holidays"}},
		{"all problems reported", Spec{Timezone: "Nowhere/Else", Preset: "xx", Hours: map[string]string{"fri": "25:00-26:00"}},
			[]string{"calendar.timezone:", "calendar.preset:", "calendar.hours.fri:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.spec)
			if tt.want == nil {
				if err != nil || c == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New succeeded, want error containing %q", tt.want)
			}
			var se *SpecError
			if !errors.As(err, &se) {
				t.Errorf("error %v is not a *SpecError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseTimezone(t *testing.T) {
	tests := []struct {
		in      string
		wantOff int // at 2026-11-23 UTC
		wantErr bool
	}{
		{"Asia/Shanghai", 8 * 3600, false},
		{"UTC", 0, false},
		{"UTC+08:00", 8 * 3600, false},
		{"UTC+8", 8 * 3600, false},
		{"utc+8", 8 * 3600, false},
		{"GMT+8", 8 * 3600, false},
		{"+08:00", 8 * 3600, false},
		{"+0800", 8 * 3600, false},
		{"UTC-05:30", -(5*3600 + 1800), false},
		{"-3:30", -(3*3600 + 1800), false},
		{"UTC+14", 14 * 3600, false},
		{"UTC+14:30", 0, true},
		{"UTC+8:60", 0, true},
		{"UTC+", 0, true},
		{"UTC++8", 0, true},
		{"+123", 0, true},
		{"UTC+8:3", 0, true},
		{"Local", 0, true},
		{"Asia/Nowhere", 0, true},
	}
	for _, tt := range tests {
		loc, err := parseTimezone(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseTimezone(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if _, off := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC).In(loc).Zone(); off != tt.wantOff {
			t.Errorf("parseTimezone(%q) offset = %d, want %d", tt.in, off, tt.wantOff)
		}
	}
}

func TestParseHours(t *testing.T) {
	h := func(hh, mm int) int64 { return int64(hh)*int64(time.Hour) + int64(mm)*int64(time.Minute) }
	tests := []struct {
		in      string
		want    []span
		wantErr bool
	}{
		{"09:00-18:00", []span{{h(9, 0), h(18, 0)}}, false},
		{" 9:00 - 18:00 ", []span{{h(9, 0), h(18, 0)}}, false},
		{"09:00-12:00,13:30-18:00", []span{{h(9, 0), h(12, 0)}, {h(13, 30), h(18, 0)}}, false},
		{"09:00-12:00,12:00-18:00", []span{{h(9, 0), h(18, 0)}}, false}, // touching: merged
		{"00:00-24:00", []span{{0, h(24, 0)}}, false},
		{"", nil, false},
		{"closed", nil, false},
		{"Closed", nil, false},
		{"09:00", nil, true},
		{"09:00-", nil, true},
		{"9-18", nil, true},
		{"09:00-18:00,", nil, true},
		{"18:00-09:00", nil, true},
		{"09:00-09:00", nil, true},
		{"13:00-18:00,09:00-12:00", nil, true},
		{"09:00-24:01", nil, true},
		{"24:00-24:00", nil, true},
		{"09:60-10:00", nil, true},
		{"009:00-10:00", nil, true},
		{"+9:00-10:00", nil, true},
	}
	for _, tt := range tests {
		got, err := parseHours(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseHours(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if fmt.Sprint(got.spans) != fmt.Sprint(tt.want) {
			t.Errorf("parseHours(%q) = %v, want %v", tt.in, got.spans, tt.want)
		}
	}
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"09:00-18:00", "09:00-12:00,13:30-18:00", "00:00-24:00", "closed", "", "9-18", "24:00-24:00", "23:59-24:00,", "1:00-2:00,2:00-3:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		s, err := parseHours(in)
		if err != nil {
			return
		}
		var total int64
		prevEnd := int64(-1)
		for _, sp := range s.spans {
			if sp.start < 0 || sp.end > int64(24*time.Hour) || sp.start >= sp.end || sp.start <= prevEnd {
				t.Fatalf("parseHours(%q) gave invalid spans %v", in, s.spans)
			}
			prevEnd = sp.end
			total += sp.end - sp.start
		}
		if total != s.total {
			t.Fatalf("parseHours(%q) total %d, spans sum to %d", in, s.total, total)
		}
	})
}

func TestDefault(t *testing.T) {
	c := Default()
	if got := c.Location().String(); got != "Asia/Shanghai" {
		t.Errorf("Location = %s", got)
	}
	if got := c.DayLength(); got != 9*time.Hour {
		t.Errorf("DayLength = %v, want 9h", got)
	}
	if got := c.WeekLength(); got != 45*time.Hour {
		t.Errorf("WeekLength = %v, want 45h", got)
	}
	if got := c.PresetLastYear(); got != 2027 {
		t.Errorf("PresetLastYear = %d", got)
	}
	s := c.Spec()
	if s.Preset != PresetCN || s.Timezone != DefaultTimezone || len(s.Hours) != 5 || s.Hours["mon"] != DefaultHours {
		t.Errorf("Spec = %+v", s)
	}
	// The returned spec is a copy.
	s.Hours["sat"] = "09:00-18:00"
	if _, ok := c.Spec().Hours["sat"]; ok {
		t.Error("Spec() exposes the calendar's map")
	}
}

func TestSpecCopiedOnNew(t *testing.T) {
	hours := weekdayHours("09:00-18:00")
	hol := []string{"2026-11-24"}
	c := mustNew(t, Spec{Timezone: "UTC+8", Hours: hours, Holidays: hol})
	hours["tue"] = "00:00-24:00"
	hol[0] = "2026-11-25"
	if got := c.Spec(); got.Hours["tue"] != "09:00-18:00" || got.Holidays[0] != "2026-11-24" {
		t.Errorf("calendar shares the caller's map or slice: %+v", got)
	}
}

func TestPresetNoneVsCN(t *testing.T) {
	sh := mustLoc(t, "Asia/Shanghai")
	start := at(t, sh, "2026-09-30 17:00")
	none := mustNew(t, Spec{})
	cn := mustNew(t, Spec{Preset: "cn"})
	if got, want := none.Due(start, BusinessHoursOf(2)), at(t, sh, "2026-10-01 10:00"); !got.Equal(want) {
		t.Errorf("preset none: Due = %s, want %s", got, want)
	}
	if got, want := cn.Due(start, BusinessHoursOf(2)), at(t, sh, "2026-10-08 10:00"); !got.Equal(want) {
		t.Errorf("preset cn: Due = %s, want %s", got, want)
	}
}

func TestConfiguredDatesOverridePreset(t *testing.T) {
	sh := mustLoc(t, "Asia/Shanghai")
	// Reopen 2026-10-08's neighbour 10-07 (a preset holiday) and close the
	// preset make-up Saturday 10-10; add a new holiday 10-12.
	c := mustNew(t, Spec{Preset: "cn", Workdays: []string{"2026-10-07"}, Holidays: []string{"2026-10-10", "2026-10-12"}})
	tests := []struct {
		at   string
		open bool
	}{
		{"2026-10-06 10:00", false}, // preset holiday kept
		{"2026-10-07 10:00", true},  // reopened
		{"2026-10-10 10:00", false}, // make-up day cancelled
		{"2026-10-12 10:00", false}, // added
		{"2026-10-13 10:00", true},
		{"2026-09-20 10:00", true}, // preset make-up day kept
	}
	for _, tt := range tests {
		if got := c.IsOpen(at(t, sh, tt.at)); got != tt.open {
			t.Errorf("IsOpen(%s) = %v, want %v", tt.at, got, tt.open)
		}
	}
}

func TestWithOverride(t *testing.T) {
	base := Default()
	tests := []struct {
		name     string
		o        Spec
		check    string // instant in the resulting zone
		wantOpen bool
		wantZone string
		wantErr  string
	}{
		{"empty override keeps everything", Spec{}, "2026-10-01 10:00", false, "Asia/Shanghai", ""},
		{"preset none drops holidays", Spec{Preset: "none"}, "2026-10-01 10:00", true, "Asia/Shanghai", ""},
		{"hours replaced wholesale", Spec{Hours: map[string]string{"sat": "10:00-16:00"}}, "2026-11-23 10:00", false, "Asia/Shanghai", ""},
		{"hours replaced: saturday open", Spec{Hours: map[string]string{"sat": "10:00-16:00"}}, "2026-11-28 10:00", true, "Asia/Shanghai", ""},
		{"zone replaced", Spec{Timezone: "Europe/Berlin"}, "2026-11-23 09:30", true, "Europe/Berlin", ""},
		{"holidays replaced", Spec{Holidays: []string{"2026-11-23"}}, "2026-11-23 10:00", false, "Asia/Shanghai", ""},
		{"invalid override", Spec{Hours: map[string]string{"sun": "nope"}}, "", false, "", "calendar.hours.sun:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := base.WithOverride(tt.o)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Location().String(); got != tt.wantZone {
				t.Errorf("zone = %s, want %s", got, tt.wantZone)
			}
			if got := c.IsOpen(at(t, c.Location(), tt.check)); got != tt.wantOpen {
				t.Errorf("IsOpen(%s) = %v, want %v", tt.check, got, tt.wantOpen)
			}
		})
	}
	// A configured list added on top of the preset survives an override
	// that does not mention it.
	shared := mustNew(t, Spec{Preset: "cn", Holidays: []string{"2026-11-23"}})
	brand, err := shared.WithOverride(Spec{Timezone: "UTC+8"})
	if err != nil {
		t.Fatal(err)
	}
	if brand.IsOpen(at(t, brand.Location(), "2026-11-23 10:00")) {
		t.Error("override lost the shared holiday")
	}
}

// TestCNPreset checks the shipped data's internal consistency: no date is
// both a holiday and a workday, every make-up workday falls on a weekend,
// and the years 2025-2027 are all covered.
func TestCNPreset(t *testing.T) {
	hol, work := cnPreset()
	h, err := parseDateList("holidays", hol)
	if err != nil {
		t.Fatal(err)
	}
	w, err := parseDateList("workdays", work)
	if err != nil {
		t.Fatal(err)
	}
	years := map[int]int{}
	for d := range w {
		if _, ok := h[d]; ok {
			t.Errorf("%s is both a holiday and a workday", formatDay(d))
		}
		if wd := time.Weekday(weekday(d)); wd != time.Saturday && wd != time.Sunday {
			t.Errorf("make-up workday %s is a %s", formatDay(d), wd)
		}
	}
	for d := range h {
		y, _, _ := civilFromDays(d)
		years[y]++
	}
	for y := 2025; y <= cnPresetLastYear; y++ {
		if years[y] < 20 {
			t.Errorf("year %d has only %d preset holidays", y, years[y])
		}
	}
}

// TestCNPresetGolden lists every preset date with its weekday, so a change
// to the table shows up as a reviewable diff against the official notices.
func TestCNPresetGolden(t *testing.T) {
	hol, work := cnPreset()
	h, _ := parseDateList("holidays", hol)
	w, _ := parseDateList("workdays", work)
	c := mustNew(t, Spec{Preset: "cn"})
	var b strings.Builder
	fmt.Fprintf(&b, "# cn preset: date weekday kind (generated by TestCNPresetGolden -update)\n")
	for _, d := range c.exDays {
		kind := "holiday"
		if _, ok := w[d]; ok {
			kind = "workday"
		} else if _, ok := h[d]; !ok {
			t.Fatalf("%s in calendar but not in preset", formatDay(d))
		}
		fmt.Fprintf(&b, "%s %s %s\n", formatDay(d), time.Weekday(weekday(d)).String()[:3], kind)
	}
	path := filepath.Join("testdata", "cn_preset.golden")
	if *update {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("cn preset differs from %s; run with -update and review the diff", path)
	}
}

func TestCivilRoundTrip(t *testing.T) {
	for _, y := range []int{-400, 1, 1600, 1899, 1969, 1970, 2000, 2024, 2100, 9999} {
		for _, md := range [][2]int{{1, 1}, {2, 28}, {3, 1}, {12, 31}} {
			d := daysFromCivil(y, md[0], md[1])
			want := time.Date(y, time.Month(md[0]), md[1], 0, 0, 0, 0, time.UTC)
			if got := floorDiv(want.Unix(), 86400); got != d {
				t.Errorf("daysFromCivil(%d-%d-%d) = %d, want %d", y, md[0], md[1], d, got)
			}
			if gy, gm, gd := civilFromDays(d); gy != y || gm != md[0] || gd != md[1] {
				t.Errorf("civilFromDays(%d) = %d-%d-%d", d, gy, gm, gd)
			}
			if got := time.Weekday(weekday(d)); got != want.Weekday() {
				t.Errorf("weekday(%d-%d-%d) = %v, want %v", y, md[0], md[1], got, want.Weekday())
			}
		}
	}
}

func FuzzParseTimezone(f *testing.F) {
	for _, s := range []string{"Asia/Shanghai", "UTC+8", "UTC+08:00", "+0800", "GMT-5:30", "UTC+14:00", "UTC+8:3", "Local", "", "utc"} {
		f.Add(s)
	}
	probe := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, in string) {
		off, ok, err := parseOffset(in)
		if ok && err == nil {
			if off < -14*3600 || off > 14*3600 || off%60 != 0 {
				t.Fatalf("parseOffset(%q) = %d out of range", in, off)
			}
			loc, err := parseTimezone(in)
			if err != nil {
				t.Fatalf("parseOffset(%q) ok but parseTimezone fails: %v", in, err)
			}
			if _, got := probe.In(loc).Zone(); got != off {
				t.Fatalf("parseTimezone(%q) offset %d, want %d", in, got, off)
			}
		}
	})
}

func FuzzParseDateEntry(f *testing.F) {
	for _, s := range []string{"2026-10-01", "2026-10-01..2026-10-07", "2026-02-29", "2024-02-29", "2026-10-07..2026-10-01", "2026-01-01..2027-01-01", " 2026-10-01 .. 2026-10-02 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		days, err := parseDateEntry(in)
		if err != nil {
			return
		}
		if len(days) == 0 || len(days) > maxRangeDays {
			t.Fatalf("parseDateEntry(%q) gave %d days", in, len(days))
		}
		for i := 1; i < len(days); i++ {
			if days[i] != days[i-1]+1 {
				t.Fatalf("parseDateEntry(%q) not consecutive: %v", in, days)
			}
		}
		// Every day formats back to a date that parses to itself.
		for _, d := range days {
			back, err := parseDate(formatDay(d))
			if err != nil || back != d {
				t.Fatalf("day %d formats as %q which parses to %d, %v", d, formatDay(d), back, err)
			}
		}
	})
}
