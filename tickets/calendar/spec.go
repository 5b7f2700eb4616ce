package calendar

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	// The embedded zone database makes IANA names such as Asia/Shanghai load
	// on machines (containers, Windows) that ship no zoneinfo.
	_ "time/tzdata"
)

// Preset names accepted in Spec.Preset.
const (
	PresetNone = "none" // only the holidays and workdays listed in the Spec
	PresetCN   = "cn"   // the shipped mainland-China public holidays and make-up days
)

// DefaultTimezone and DefaultHours are what New uses when a Spec leaves
// Timezone or Hours empty: the shops this product serves work Mon-Fri
// 09:00-18:00 UTC+8.
const (
	DefaultTimezone = "Asia/Shanghai"
	DefaultHours    = "09:00-18:00"
)

// Spec is the configuration of a business calendar, as written under
// `calendar:` in the config file (and optionally per brand).
type Spec struct {
	// Timezone is an IANA name ("Asia/Shanghai") or a fixed offset
	// ("UTC+08:00", "UTC+8", "+08:00", "UTC-05:30"). Empty means
	// DefaultTimezone.
	Timezone string `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	// Preset is "cn" or "none"; empty means "none".
	Preset string `yaml:"preset,omitempty" json:"preset,omitempty"`
	// Hours maps mon..sun to "09:00-18:00" or split shifts
	// "09:00-12:00,13:30-18:00"; a missing day, "" or "closed" is closed.
	// An empty map means Mon-Fri DefaultHours.
	Hours map[string]string `yaml:"hours,omitempty" json:"hours,omitempty"`
	// Holidays are dates ("2026-10-01") or inclusive ranges
	// ("2026-10-01..2026-10-07") closed all day.
	Holidays []string `yaml:"holidays,omitempty" json:"holidays,omitempty"`
	// Workdays are make-up working days (same syntax as Holidays), open
	// with the standard hours.
	Workdays []string `yaml:"workdays,omitempty" json:"workdays,omitempty"`
}

// SpecError reports one invalid field of a Spec. Field is the config path,
// e.g. "calendar.hours.mon" or "calendar.holidays[2]".
type SpecError struct {
	Field string
	Err   error
}

// Error names the field.
func (e *SpecError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap returns the cause.
func (e *SpecError) Unwrap() error { return e.Err }

func specErr(field string, format string, args ...any) error {
	return &SpecError{Field: field, Err: fmt.Errorf(format, args...)}
}

// dayKeys are the Hours keys, indexed by time.Weekday.
var dayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// maxRangeDays bounds one holidays/workdays range entry, so a typo in a
// year cannot expand into a hundred thousand exception days.
const maxRangeDays = 366

// Default returns the calendar the product ships with: Asia/Shanghai,
// Mon-Fri 09:00-18:00, preset cn.
func Default() *Calendar {
	c, err := New(Spec{Timezone: DefaultTimezone, Preset: PresetCN})
	if err != nil {
		// The default spec is a constant; failing here is a bug in this
		// package, caught by its tests.
		panic("calendar: default spec invalid: " + err.Error())
	}
	return c
}

// New validates spec and builds the calendar. All problems are reported
// together (errors.Join of *SpecError), each naming its field.
func New(spec Spec) (*Calendar, error) {
	var errs []error
	spec = normalize(spec)

	loc, err := parseTimezone(spec.Timezone)
	if err != nil {
		errs = append(errs, &SpecError{Field: "calendar.timezone", Err: err})
	}

	var presetHol, presetWork []string
	switch spec.Preset {
	case PresetNone:
	case PresetCN:
		presetHol, presetWork = cnPreset()
	default:
		errs = append(errs, specErr("calendar.preset", "unknown preset %q (want %q or %q)", spec.Preset, PresetCN, PresetNone))
	}

	var week [7]schedule
	for key := range spec.Hours {
		if !slices.Contains(dayKeys[:], key) {
			errs = append(errs, specErr("calendar.hours."+key, "unknown day (want one of mon, tue, wed, thu, fri, sat, sun)"))
		}
	}
	for wd, key := range dayKeys {
		v, ok := spec.Hours[key]
		if !ok {
			continue
		}
		s, err := parseHours(v)
		if err != nil {
			errs = append(errs, &SpecError{Field: "calendar.hours." + key, Err: err})
			continue
		}
		week[wd] = s
	}

	hol, err := parseDateList("calendar.holidays", spec.Holidays)
	errs = append(errs, err)
	work, err := parseDateList("calendar.workdays", spec.Workdays)
	errs = append(errs, err)
	for i, entry := range spec.Workdays {
		days, err := parseDateEntry(entry)
		if err != nil {
			continue // reported above
		}
		for _, d := range days {
			if _, clash := hol[d]; clash {
				errs = append(errs, specErr(fmt.Sprintf("calendar.workdays[%d]", i), "%s is also listed in calendar.holidays", formatDay(d)))
				break
			}
		}
	}
	pHol, err := parseDateList("preset "+spec.Preset+" holidays", presetHol)
	errs = append(errs, err)
	pWork, err := parseDateList("preset "+spec.Preset+" workdays", presetWork)
	errs = append(errs, err)

	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c, err := build(spec, loc, week, mergeExceptions(pHol, pWork, hol, work))
	if err != nil {
		return nil, err
	}
	return c, nil
}

// WithOverride returns a calendar built from c's spec with every field that
// o sets replacing c's: a non-empty Timezone or Preset, a non-nil Hours map,
// a non-nil Holidays or Workdays list (an explicit empty list clears it).
// Brands use it to adjust the shared calendar.
func (c *Calendar) WithOverride(o Spec) (*Calendar, error) {
	s := c.Spec()
	if o.Timezone != "" {
		s.Timezone = o.Timezone
	}
	if o.Preset != "" {
		s.Preset = o.Preset
	}
	if o.Hours != nil {
		s.Hours = o.Hours
	}
	if o.Holidays != nil {
		s.Holidays = o.Holidays
	}
	if o.Workdays != nil {
		s.Workdays = o.Workdays
	}
	return New(s)
}

// Spec returns a copy of the normalized spec the calendar was built from
// (defaults filled in, preset spelled out).
func (c *Calendar) Spec() Spec {
	s := c.spec
	s.Hours = make(map[string]string, len(c.spec.Hours))
	for k, v := range c.spec.Hours {
		s.Hours[k] = v
	}
	s.Holidays = slices.Clone(c.spec.Holidays)
	s.Workdays = slices.Clone(c.spec.Workdays)
	return s
}

// normalize fills defaults and copies the caller's map and slices so later
// changes by the caller cannot alter a built calendar.
func normalize(s Spec) Spec {
	out := Spec{
		Timezone: strings.TrimSpace(s.Timezone),
		Preset:   strings.ToLower(strings.TrimSpace(s.Preset)),
		Holidays: slices.Clone(s.Holidays),
		Workdays: slices.Clone(s.Workdays),
	}
	if out.Timezone == "" {
		out.Timezone = DefaultTimezone
	}
	if out.Preset == "" {
		out.Preset = PresetNone
	}
	out.Hours = make(map[string]string, 7)
	if len(s.Hours) == 0 {
		for _, k := range []string{"mon", "tue", "wed", "thu", "fri"} {
			out.Hours[k] = DefaultHours
		}
	} else {
		for k, v := range s.Hours {
			out.Hours[strings.ToLower(strings.TrimSpace(k))] = v
		}
	}
	return out
}

// parseTimezone accepts an IANA name or a fixed offset. "Local" is refused:
// deadlines must not depend on the host's TZ.
func parseTimezone(s string) (*time.Location, error) {
	if off, ok, err := parseOffset(s); ok {
		if err != nil {
			return nil, err
		}
		return time.FixedZone(offsetLabel(off), off), nil
	}
	if strings.EqualFold(s, "local") {
		return nil, fmt.Errorf("%q is not allowed: name the zone (e.g. Asia/Shanghai or UTC+08:00)", s)
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q (want an IANA name such as Asia/Shanghai or an offset such as UTC+08:00)", s)
	}
	return loc, nil
}

// parseOffset recognizes "UTC+8", "UTC+08:00", "GMT-5:30", "+08:00",
// "+0800". ok reports whether s looks like an offset at all.
func parseOffset(s string) (secs int, ok bool, err error) {
	rest := s
	if len(rest) >= 3 && (strings.EqualFold(rest[:3], "UTC") || strings.EqualFold(rest[:3], "GMT")) {
		rest = rest[3:]
	}
	if rest == "" || (rest[0] != '+' && rest[0] != '-') {
		return 0, false, nil
	}
	sign := 1
	if rest[0] == '-' {
		sign = -1
	}
	rest = rest[1:]
	var hh, mm string
	switch {
	case strings.Contains(rest, ":"):
		hh, mm, _ = strings.Cut(rest, ":")
	case len(rest) <= 2:
		hh, mm = rest, "00"
	case len(rest) == 4:
		hh, mm = rest[:2], rest[2:]
	default:
		return 0, true, fmt.Errorf("bad offset %q (want e.g. UTC+08:00)", s)
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || hh == "" || len(hh) > 2 || len(mm) != 2 || hh[0] == '+' || hh[0] == '-' || mm[0] == '+' || mm[0] == '-' {
		return 0, true, fmt.Errorf("bad offset %q (want e.g. UTC+08:00)", s)
	}
	if h > 14 || m > 59 || (h == 14 && m > 0) {
		return 0, true, fmt.Errorf("offset %q out of range (UTC-14:00 to UTC+14:00)", s)
	}
	return sign * (h*3600 + m*60), true, nil
}

// parseHours parses one day's opening hours: "09:00-18:00" or
// "09:00-12:00,13:30-18:00"; "", "closed" and "-" mean closed. Shifts must
// be in order and must not overlap; touching shifts are merged.
func parseHours(v string) (schedule, error) {
	v = strings.TrimSpace(v)
	if v == "" || v == "-" || strings.EqualFold(v, "closed") {
		return schedule{}, nil
	}
	var s schedule
	for part := range strings.SplitSeq(v, ",") {
		part = strings.TrimSpace(part)
		a, b, found := strings.Cut(part, "-")
		if !found {
			return schedule{}, fmt.Errorf("bad shift %q (want HH:MM-HH:MM)", part)
		}
		start, err := parseClock(strings.TrimSpace(a))
		if err != nil {
			return schedule{}, fmt.Errorf("shift %q: %w", part, err)
		}
		end, err := parseClock(strings.TrimSpace(b))
		if err != nil {
			return schedule{}, fmt.Errorf("shift %q: %w", part, err)
		}
		if start >= end {
			return schedule{}, fmt.Errorf("shift %q ends before it starts", part)
		}
		if n := len(s.spans); n > 0 {
			last := &s.spans[n-1]
			if start < last.end {
				return schedule{}, fmt.Errorf("shift %q overlaps or precedes the previous shift", part)
			}
			if start == last.end {
				last.end = end
				s.total += end - start
				continue
			}
		}
		s.spans = append(s.spans, span{start: start, end: end})
		s.total += end - start
	}
	return s, nil
}

// parseClock parses "H:MM" or "HH:MM" (00:00 to 24:00) into nanoseconds
// since midnight.
func parseClock(s string) (int64, error) {
	hh, mm, found := strings.Cut(s, ":")
	if !found || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 || !isDigits(hh) || !isDigits(mm) {
		return 0, fmt.Errorf("bad time %q (want HH:MM)", s)
	}
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("time %q out of range (00:00 to 24:00)", s)
	}
	return int64(h)*int64(time.Hour) + int64(m)*int64(time.Minute), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDateEntry parses "YYYY-MM-DD" or an inclusive range
// "YYYY-MM-DD..YYYY-MM-DD" into civil day numbers.
func parseDateEntry(e string) ([]int64, error) {
	e = strings.TrimSpace(e)
	a, b, isRange := strings.Cut(e, "..")
	from, err := parseDate(strings.TrimSpace(a))
	if err != nil {
		return nil, err
	}
	if !isRange {
		return []int64{from}, nil
	}
	to, err := parseDate(strings.TrimSpace(b))
	if err != nil {
		return nil, err
	}
	if to < from {
		return nil, fmt.Errorf("range %q ends before it starts", e)
	}
	if to-from >= maxRangeDays {
		return nil, fmt.Errorf("range %q is longer than %d days", e, maxRangeDays)
	}
	days := make([]int64, 0, to-from+1)
	for d := from; d <= to; d++ {
		days = append(days, d)
	}
	return days, nil
}

func parseDate(s string) (int64, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("bad date %q (want YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)", s)
	}
	return daysFromCivil(t.Year(), int(t.Month()), t.Day()), nil
}

// parseDateList parses every entry of a holidays/workdays list into a set,
// reporting bad entries by index.
func parseDateList(field string, entries []string) (map[int64]struct{}, error) {
	set := make(map[int64]struct{})
	var errs []error
	for i, e := range entries {
		days, err := parseDateEntry(e)
		if err != nil {
			errs = append(errs, &SpecError{Field: fmt.Sprintf("%s[%d]", field, i), Err: err})
			continue
		}
		for _, d := range days {
			set[d] = struct{}{}
		}
	}
	return set, errors.Join(errs...)
}

func formatDay(d int64) string {
	y, m, dd := civilFromDays(d)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
}
