package calendar

import (
	"errors"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in      string
		unit    Unit
		milli   int64
		wall    time.Duration
		str     string
		wantErr bool
	}{
		{in: "8bh", unit: BusinessHours, milli: 8000, str: "8bh"},
		{in: "3bd", unit: BusinessDays, milli: 3000, str: "3bd"},
		{in: " 15BD ", unit: BusinessDays, milli: 15000, str: "15bd"},
		{in: "1.5bh", unit: BusinessHours, milli: 1500, str: "1.5bh"},
		{in: "0.25bd", unit: BusinessDays, milli: 250, str: "0.25bd"},
		{in: "0.001bh", unit: BusinessHours, milli: 1, str: "0.001bh"},
		{in: "2.500bd", unit: BusinessDays, milli: 2500, str: "2.5bd"},
		{in: "007bd", unit: BusinessDays, milli: 7000, str: "7bd"},
		{in: "0bh", unit: BusinessHours, milli: 0, str: "0bh"},
		{in: "10000bd", unit: BusinessDays, milli: 10_000_000, str: "10000bd"},
		{in: "48h", unit: Wall, wall: 48 * time.Hour, str: "48h"},
		{in: "90m", unit: Wall, wall: 90 * time.Minute, str: "1h30m"},
		{in: "1h30m", unit: Wall, wall: 90 * time.Minute, str: "1h30m"},
		{in: "45s", unit: Wall, wall: 45 * time.Second, str: "45s"},
		{in: "0", unit: Wall, str: "0s"},
		{in: "10000.001bd", wantErr: true},
		{in: "10001bh", wantErr: true},
		{in: "99999999999999999999bd", wantErr: true},
		{in: "1.2345bh", wantErr: true},
		{in: "-1bd", wantErr: true},
		{in: "+1bd", wantErr: true},
		{in: ".5bd", wantErr: true},
		{in: "1.bd", wantErr: true},
		{in: "bd", wantErr: true},
		{in: "1 bd", wantErr: true},
		{in: "1e3bh", wantErr: true},
		{in: "3d", wantErr: true},
		{in: "-48h", wantErr: true},
		{in: "", wantErr: true},
		{in: "soon", wantErr: true},
	}
	for _, tt := range tests {
		d, err := ParseDuration(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("ParseDuration(%q) = %v, want error", tt.in, d)
			} else if !errors.Is(err, ErrDuration) {
				t.Errorf("ParseDuration(%q) error %v does not wrap ErrDuration", tt.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", tt.in, err)
			continue
		}
		if d.Unit() != tt.unit || d.milli != tt.milli || d.Wall() != tt.wall {
			t.Errorf("ParseDuration(%q) = %+v, want unit %d milli %d wall %v", tt.in, d, tt.unit, tt.milli, tt.wall)
		}
		if got := d.String(); got != tt.str {
			t.Errorf("ParseDuration(%q).String() = %q, want %q", tt.in, got, tt.str)
		}
		if d.IsBusiness() != (tt.unit != Wall) {
			t.Errorf("ParseDuration(%q).IsBusiness() = %v", tt.in, d.IsBusiness())
		}
	}
}

func TestBusinessTime(t *testing.T) {
	def := Default()
	split := mustNew(t, Spec{Timezone: "UTC+8", Hours: weekdayHours("09:00-12:00,13:30-18:00")})
	tests := []struct {
		cal  *Calendar
		d    Duration
		want time.Duration
	}{
		{def, BusinessHoursOf(8), 8 * time.Hour},
		{def, BusinessDaysOf(3), 27 * time.Hour},
		{def, mustDur(t, "0.5bd"), 4*time.Hour + 30*time.Minute},
		{def, mustDur(t, "0.001bh"), 3600 * time.Millisecond},
		{def, WallClock(48 * time.Hour), 48 * time.Hour},
		{def, BusinessDaysOf(-2), 0},
		{split, BusinessDaysOf(2), 15 * time.Hour},
		{split, mustDur(t, "0.333bd"), 333 * (7*time.Hour + 30*time.Minute) / 1000},
		{def, BusinessDaysOf(MaxUnits * 10), MaxUnits * 9 * time.Hour}, // capped
	}
	for _, tt := range tests {
		if got := tt.cal.BusinessTime(tt.d); got != tt.want {
			t.Errorf("BusinessTime(%s) = %v, want %v", tt.d, got, tt.want)
		}
	}
}

func TestDurationText(t *testing.T) {
	var d Duration
	if err := d.UnmarshalText([]byte("15bd")); err != nil {
		t.Fatal(err)
	}
	if d != BusinessDaysOf(15) {
		t.Errorf("UnmarshalText(15bd) = %+v", d)
	}
	b, err := d.MarshalText()
	if err != nil || string(b) != "15bd" {
		t.Errorf("MarshalText = %q, %v", b, err)
	}
	if err := d.UnmarshalText([]byte("15 days")); err == nil {
		t.Error("UnmarshalText accepted garbage")
	}
	if d != BusinessDaysOf(15) {
		t.Error("failed UnmarshalText changed the value")
	}
	var zero Duration
	if !zero.IsZero() || zero.IsBusiness() || zero.String() != "0s" {
		t.Errorf("zero Duration: %+v %q", zero, zero.String())
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"8bh", "3bd", "1.5bh", "0.001bd", "10000bd", "48h", "1h30m", "90m", "-1bd", "1e9bd", ".5bh", "0", "bd", "1.2345bh"} {
		f.Add(s)
	}
	cal := Default()
	f.Fuzz(func(t *testing.T, in string) {
		d, err := ParseDuration(in)
		if err != nil {
			return
		}
		s := d.String()
		d2, err := ParseDuration(s)
		if err != nil {
			t.Fatalf("ParseDuration(%q) ok but its String %q does not parse: %v", in, s, err)
		}
		if d2 != d {
			t.Fatalf("round trip %q -> %q -> %+v, want %+v", in, s, d2, d)
		}
		if bt := cal.BusinessTime(d); bt < 0 {
			t.Fatalf("BusinessTime(%q) = %v < 0", in, bt)
		}
		if d.IsBusiness() && d.milli > MaxUnits*1000 {
			t.Fatalf("ParseDuration(%q) exceeds MaxUnits", in)
		}
	})
}
