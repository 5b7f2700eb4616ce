package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit says how a Duration is counted.
type Unit uint8

const (
	// Wall is elapsed real time ("48h", "90m"); the calendar is ignored.
	Wall Unit = iota
	// BusinessHours counts open time ("8bh").
	BusinessHours
	// BusinessDays counts standard open days ("3bd"); 1bd = Calendar.DayLength.
	BusinessDays
)

// MaxUnits is the largest business amount ParseDuration accepts (10000bd,
// about 40 years); it keeps deadline arithmetic far from int64 overflow.
const MaxUnits = 10000

// Duration is an SLA target: wall-clock time, business hours or business
// days. Business amounts are held in thousandths of the unit, so "1.5bh"
// and "0.25bd" are exact. The zero value is a zero wall-clock duration.
type Duration struct {
	unit  Unit
	milli int64         // business amount in thousandths of unit
	wall  time.Duration // Wall only
}

// ErrDuration is wrapped by every ParseDuration error.
var ErrDuration = errors.New("invalid duration")

// WallClock returns a wall-clock duration (negative values count as zero
// in Due).
func WallClock(d time.Duration) Duration { return Duration{unit: Wall, wall: d} }

// BusinessHoursOf returns n business hours.
func BusinessHoursOf(n int) Duration {
	return Duration{unit: BusinessHours, milli: int64(max(n, 0)) * 1000}
}

// BusinessDaysOf returns n business days.
func BusinessDaysOf(n int) Duration {
	return Duration{unit: BusinessDays, milli: int64(max(n, 0)) * 1000}
}

// Unit returns how d is counted.
func (d Duration) Unit() Unit { return d.unit }

// IsBusiness reports whether d is counted in open time.
func (d Duration) IsBusiness() bool { return d.unit != Wall }

// IsZero reports whether d is zero (due at the start instant).
func (d Duration) IsZero() bool { return d.milli == 0 && d.wall == 0 }

// Wall returns the wall-clock amount of a Wall duration (0 otherwise).
func (d Duration) Wall() time.Duration { return d.wall }

// ParseDuration parses "8bh" (business hours), "3bd" (business days) or a
// Go duration such as "48h" or "1h30m" (wall clock). Business amounts may
// have up to three decimals ("1.5bh") and are at most MaxUnits; the unit is
// case-insensitive. Negative durations are rejected.
func ParseDuration(s string) (Duration, error) {
	in := s
	s = strings.TrimSpace(s)
	if len(s) > 2 {
		suffix := strings.ToLower(s[len(s)-2:])
		if suffix == "bh" || suffix == "bd" {
			milli, err := parseMilli(s[:len(s)-2])
			if err != nil {
				return Duration{}, fmt.Errorf("%w %q: %v", ErrDuration, in, err)
			}
			u := BusinessHours
			if suffix == "bd" {
				u = BusinessDays
			}
			return Duration{unit: u, milli: milli}, nil
		}
	}
	w, err := time.ParseDuration(s)
	if err != nil {
		return Duration{}, fmt.Errorf("%w %q: want e.g. 8bh, 3bd or 48h", ErrDuration, in)
	}
	if w < 0 {
		return Duration{}, fmt.Errorf("%w %q: negative", ErrDuration, in)
	}
	return Duration{unit: Wall, wall: w}, nil
}

// parseMilli parses an unsigned decimal with up to three fraction digits
// into thousandths.
func parseMilli(num string) (int64, error) {
	ip, fp, hasDot := strings.Cut(num, ".")
	if ip == "" || !isDigits(ip) || (hasDot && (fp == "" || !isDigits(fp))) {
		return 0, errors.New("want a number such as 8 or 1.5 before the unit")
	}
	if len(fp) > 3 {
		return 0, errors.New("at most three decimals")
	}
	ip = strings.TrimLeft(ip, "0")
	if len(ip) > 6 {
		return 0, fmt.Errorf("more than %d", MaxUnits)
	}
	whole := int64(0)
	if ip != "" {
		whole, _ = strconv.ParseInt(ip, 10, 64)
	}
	frac := int64(0)
	if fp != "" {
		frac, _ = strconv.ParseInt((fp + "00")[:3], 10, 64)
	}
	milli := whole*1000 + frac
	if milli > MaxUnits*1000 {
		return 0, fmt.Errorf("more than %d", MaxUnits)
	}
	return milli, nil
}

// String formats d so that ParseDuration(d.String()) == d: "8bh", "1.5bd",
// "48h", "1h30m".
func (d Duration) String() string {
	switch d.unit {
	case BusinessHours, BusinessDays:
		s := strconv.FormatInt(d.milli/1000, 10)
		if f := d.milli % 1000; f != 0 {
			s += strings.TrimRight(fmt.Sprintf(".%03d", f), "0")
		}
		if d.unit == BusinessHours {
			return s + "bh"
		}
		return s + "bd"
	default:
		s := d.wall.String()
		// time.Duration prints "48h0m0s"; drop the zero tails.
		if strings.HasSuffix(s, "m0s") {
			s = strings.TrimSuffix(s, "0s")
		}
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
		return s
	}
}

// MarshalText implements encoding.TextMarshaler (YAML and JSON use it).
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseDuration.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// OpenTime returns an amount of open (business) time, such as the open
// time a ticket spent paused, as a business duration. It is exact to
// 3.6 s, the resolution of business amounts.
func OpenTime(d time.Duration) Duration {
	return Duration{unit: BusinessHours, milli: int64(max(d, 0) / (time.Hour / 1000))}
}
