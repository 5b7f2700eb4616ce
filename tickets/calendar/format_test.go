package calendar

import (
	"testing"
	"time"
)

func TestFormatDue(t *testing.T) {
	sh := mustLoc(t, "Asia/Shanghai")
	due := at(t, sh, "2026-11-25 18:00:59") // Wednesday; seconds are truncated
	first := at(t, sh, "2026-12-01 09:05")  // Tuesday
	tests := []struct {
		t    time.Time
		loc  *time.Location
		lang string
		want string
	}{
		{due, sh, "en", "Wednesday 25 November, 18:00 (UTC+8)"},
		{due, sh, "zh", "11月25日（星期三）18:00（UTC+8）"},
		{due, sh, "zh-CN", "11月25日（星期三）18:00（UTC+8）"},
		{due, sh, "zh_Hans", "11月25日（星期三）18:00（UTC+8）"},
		{due, sh, "ja", "11月25日（水）18:00（UTC+8）"},
		{due, sh, "de", "Mittwoch, 25. November, 18:00 Uhr (UTC+8)"},
		{due, sh, "fr", "mercredi 25 novembre à 18:00 (UTC+8)"},
		{first, sh, "fr-FR", "mardi 1er décembre à 09:05 (UTC+8)"},
		{due, sh, "es", "miércoles 25 de noviembre, 18:00 (UTC+8)"},
		{due, sh, "it", "mercoledì 25 novembre, ore 18:00 (UTC+8)"},
		{due, sh, "EN-us", "Wednesday 25 November, 18:00 (UTC+8)"},
		{due, sh, "pt-BR", "Wednesday 25 November, 18:00 (UTC+8)"},
		{due, sh, "", "Wednesday 25 November, 18:00 (UTC+8)"},
		{due, mustLoc(t, "Asia/Kolkata"), "en", "Wednesday 25 November, 15:30 (UTC+5:30)"},
		{due, mustLoc(t, "America/St_Johns"), "en", "Wednesday 25 November, 06:30 (UTC-3:30)"},
		{due, mustLoc(t, "America/New_York"), "en", "Wednesday 25 November, 05:00 (UTC-5)"},
		{due, time.UTC, "en", "Wednesday 25 November, 10:00 (UTC)"},
		{due.UTC(), nil, "zh", "11月25日（星期三）10:00（UTC）"},
		// Summer time: the label follows the offset at t.
		{at(t, sh, "2026-07-01 18:00"), mustLoc(t, "Europe/Berlin"), "de", "Mittwoch, 1. Juli, 12:00 Uhr (UTC+2)"},
		{at(t, sh, "2026-01-01 18:00"), mustLoc(t, "Europe/Berlin"), "de", "Donnerstag, 1. Januar, 11:00 Uhr (UTC+1)"},
	}
	for _, tt := range tests {
		if got := FormatDue(tt.t, tt.loc, tt.lang); got != tt.want {
			t.Errorf("FormatDue(%s, %v, %q) = %q, want %q", tt.t, tt.loc, tt.lang, got, tt.want)
		}
	}
}

func TestOffsetLabel(t *testing.T) {
	tests := []struct {
		off  int
		want string
	}{
		{0, "UTC"},
		{8 * 3600, "UTC+8"},
		{5*3600 + 1800, "UTC+5:30"},
		{5*3600 + 45*60, "UTC+5:45"},
		{-5 * 3600, "UTC-5"},
		{-(9*3600 + 1800), "UTC-9:30"},
		{14 * 3600, "UTC+14"},
	}
	for _, tt := range tests {
		ts := time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("X", tt.off))
		if got := OffsetLabel(ts); got != tt.want {
			t.Errorf("OffsetLabel(%d) = %q, want %q", tt.off, got, tt.want)
		}
	}
}
