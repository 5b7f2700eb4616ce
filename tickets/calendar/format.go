package calendar

import (
	"fmt"
	"strings"
	"time"
)

// dueNames holds the weekday (Sunday first) and month (January first) names
// of one language.
type dueNames struct {
	weekdays [7]string
	months   [12]string
}

func namesFor(lang string) (string, dueNames) {
	switch lang {
	case "zh":
		return lang, dueNames{weekdays: [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}}
	case "ja":
		return lang, dueNames{weekdays: [7]string{"日", "月", "火", "水", "木", "金", "土"}}
	case "de":
		return lang, dueNames{
			weekdays: [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
			months:   [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		}
	case "fr":
		return lang, dueNames{
			weekdays: [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
			months:   [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		}
	case "es":
		return lang, dueNames{
			weekdays: [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
			months:   [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		}
	case "it":
		return lang, dueNames{
			weekdays: [7]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
			months:   [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
		}
	default:
		return "en", dueNames{
			weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
			months:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		}
	}
}

// FormatDue renders a deadline for a customer-facing message in language
// lang (a BCP 47 tag; only the primary subtag counts: "zh-CN" is zh;
// unknown languages get English), in zone loc (nil: t's own zone), with
// the offset spelled out so readers elsewhere can convert:
//
//	en  Wednesday 25 November, 18:00 (UTC+8)
//	zh  11月25日（星期三）18:00（UTC+8）
//
// The time is shown to the minute, truncated, so the text never promises
// later than the real deadline.
func FormatDue(t time.Time, loc *time.Location, lang string) string {
	if loc != nil {
		t = t.In(loc)
	}
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	base, _, _ = strings.Cut(base, "_")
	lang, n := namesFor(base)
	wd, mon, day := n.weekdays[t.Weekday()], n.months[t.Month()-1], t.Day()
	clock := fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute())
	off := OffsetLabel(t)
	switch lang {
	case "zh":
		return fmt.Sprintf("%d月%d日（%s）%s（%s）", int(t.Month()), day, wd, clock, off)
	case "ja":
		return fmt.Sprintf("%d月%d日（%s）%s（%s）", int(t.Month()), day, wd, clock, off)
	case "de":
		return fmt.Sprintf("%s, %d. %s, %s Uhr (%s)", wd, day, mon, clock, off)
	case "fr":
		d := fmt.Sprint(day)
		if day == 1 {
			d = "1er"
		}
		return fmt.Sprintf("%s %s %s à %s (%s)", wd, d, mon, clock, off)
	case "es":
		return fmt.Sprintf("%s %d de %s, %s (%s)", wd, day, mon, clock, off)
	case "it":
		return fmt.Sprintf("%s %d %s, ore %s (%s)", wd, day, mon, clock, off)
	default:
		return fmt.Sprintf("%s %d %s, %s (%s)", wd, day, mon, clock, off)
	}
}

// OffsetLabel names t's UTC offset in its own zone: "UTC+8", "UTC+5:30",
// "UTC-3:30", "UTC" for zero.
func OffsetLabel(t time.Time) string {
	_, off := t.Zone()
	return offsetLabel(off)
}

func offsetLabel(off int) string {
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	h, m := off/3600, off%3600/60
	if m == 0 {
		return fmt.Sprintf("UTC%s%d", sign, h)
	}
	return fmt.Sprintf("UTC%s%d:%02d", sign, h, m)
}
