package templates

import (
	"fmt"
	"strings"
	"time"
)

// NormalizeLang reduces a language tag to the bare primary language subtag
// the template files are named with: "zh-CN", "zh-Hans", "zh_TW" -> "zh";
// "en-US" -> "en"; "EN" -> "en"; ISO 639-2 codes such as "deu" or "chi" map
// to their two-letter form. It accepts the shapes seen in practice in mail
// headers and locale settings ("en_US.UTF-8", "fr;q=0.8"). Anything that is
// not a plausible tag yields "".
//
// Every Chinese variant maps to "zh", whose templates are written in
// Simplified Chinese: a Traditional-script reader can still read them, and
// it beats falling back to a language the customer did not write in.
func NormalizeLang(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_.;@ "); i >= 0 {
		tag = tag[:i]
	}
	tag = strings.ToLower(tag)
	if len(tag) < 2 || len(tag) > 3 {
		return ""
	}
	for i := 0; i < len(tag); i++ {
		if tag[i] < 'a' || tag[i] > 'z' {
			return ""
		}
	}
	switch tag {
	case "zho", "chi", "cmn", "yue", "wuu":
		return "zh"
	case "eng":
		return "en"
	case "deu", "ger":
		return "de"
	case "fra", "fre":
		return "fr"
	case "spa":
		return "es"
	case "ita":
		return "it"
	case "jpn":
		return "ja"
	}
	return tag
}

// ZoneLabel names t's UTC offset the way the mails print it: "UTC+8",
// "UTC+5:30", "UTC-3", or "UTC" for a zero offset. The shops state their
// hours as an offset ("UTC+8:00"), not as a zone name, so customers abroad
// can convert without looking up what Asia/Shanghai means.
func ZoneLabel(t time.Time) string {
	_, off := t.Zone()
	if off == 0 {
		return "UTC"
	}
	sign := "+"
	if off < 0 {
		sign = "-"
		off = -off
	}
	h, m := off/3600, (off%3600)/60
	if m == 0 {
		return fmt.Sprintf("UTC%s%d", sign, h)
	}
	return fmt.Sprintf("UTC%s%d:%02d", sign, h, m)
}

// FormatDue formats a deadline for a customer in lang, in t's own location
// (pass the instant already converted to the shop's zone), for use after
// "by" / "前" in a sentence:
//
//	en  Wednesday 25 November, 18:00 (UTC+8)
//	zh  11月25日（星期三）18:00（UTC+8）
//	ja  11月25日（水）18:00（UTC+8）
//	de  Mittwoch, 25. November, 18:00 Uhr (UTC+8)
//	fr  mercredi 25 novembre à 18:00 (UTC+8)
//	es  miércoles 25 de noviembre a las 18:00 (UTC+8)
//	it  mercoledì 25 novembre alle 18:00 (UTC+8)
//
// Unknown languages get English. The year is left out: a reply deadline is
// days away, never a year.
func FormatDue(t time.Time, lang string) string {
	l := localeFor(NormalizeLang(lang))
	wd := l.weekdays[t.Weekday()]
	mon := l.months[t.Month()-1]
	hm := t.Format("15:04")
	zone := ZoneLabel(t)
	switch l.lang {
	case "zh", "ja":
		return fmt.Sprintf("%d月%d日（%s）%s（%s）", t.Month(), t.Day(), wd, hm, zone)
	case "de":
		return fmt.Sprintf("%s, %d. %s, %s Uhr (%s)", wd, t.Day(), mon, hm, zone)
	case "fr":
		return fmt.Sprintf("%s %s %s à %s (%s)", wd, frDay(t.Day()), mon, hm, zone)
	case "es":
		return fmt.Sprintf("%s %d de %s a las %s (%s)", wd, t.Day(), mon, hm, zone)
	case "it":
		return fmt.Sprintf("%s %s %s alle %s (%s)", wd, itDay(t.Day()), mon, hm, zone)
	default:
		return fmt.Sprintf("%s %d %s, %s (%s)", wd, t.Day(), mon, hm, zone)
	}
}

// FormatDate formats a calendar date (an effective date, say) in lang, in
// t's own location: "25 December 2026", "2026年12月25日", "25. Dezember
// 2026", "1er décembre 2026", "25 de diciembre de 2026", "1º dicembre 2026".
func FormatDate(t time.Time, lang string) string {
	l := localeFor(NormalizeLang(lang))
	mon := l.months[t.Month()-1]
	switch l.lang {
	case "zh", "ja":
		return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
	case "de":
		return fmt.Sprintf("%d. %s %d", t.Day(), mon, t.Year())
	case "fr":
		return fmt.Sprintf("%s %s %d", frDay(t.Day()), mon, t.Year())
	case "es":
		return fmt.Sprintf("%d de %s de %d", t.Day(), mon, t.Year())
	case "it":
		return fmt.Sprintf("%s %s %d", itDay(t.Day()), mon, t.Year())
	default:
		return fmt.Sprintf("%d %s %d", t.Day(), mon, t.Year())
	}
}

// frDay and itDay write the first of the month as an ordinal, as French
// and Italian do ("1er", "1º") and every other day as a cardinal.
func frDay(d int) string {
	if d == 1 {
		return "1er"
	}
	return fmt.Sprint(d)
}

func itDay(d int) string {
	if d == 1 {
		return "1º"
	}
	return fmt.Sprint(d)
}

// FormatServiceHours writes a weekly schedule as a sentence fragment in
// lang, grouping consecutive days with the same hours:
//
//	en  Monday to Friday, 09:00-18:00 (UTC+8), except public holidays
//	zh  周一至周五 09:00-18:00（UTC+8），法定节假日除外
//
// week maps a weekday to its opening hours as written ("09:00-18:00"); days
// missing or empty are closed. zoneLabel is printed as given (see
// ZoneLabel). The result is meant for Brand.ServiceHoursByLang, so the
// footer states the hours the business calendar actually uses.
func FormatServiceHours(week map[time.Weekday]string, zoneLabel, lang string, exceptHolidays bool) string {
	l := localeFor(NormalizeLang(lang))
	order := [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	type group struct {
		from, to time.Weekday
		n        int
		hours    string
	}
	var groups []group
	for _, d := range order {
		h := strings.TrimSpace(week[d])
		if h == "" {
			continue
		}
		if n := len(groups); n > 0 && groups[n-1].hours == h && nextDay(groups[n-1].to) == d {
			groups[n-1].to = d
			groups[n-1].n++
			continue
		}
		groups = append(groups, group{from: d, to: d, n: 1, hours: h})
	}
	if len(groups) == 0 {
		return ""
	}
	parts := make([]string, 0, len(groups))
	for _, g := range groups {
		parts = append(parts, l.dayGroup(g.from, g.to, g.n, g.hours))
	}
	var b strings.Builder
	b.WriteString(strings.Join(parts, l.groupSep))
	if zoneLabel != "" {
		b.WriteString(fmt.Sprintf(l.zoneFmt, zoneLabel))
	}
	if exceptHolidays {
		b.WriteString(l.holidays)
	}
	return b.String()
}

func nextDay(d time.Weekday) time.Weekday { return (d + 1) % 7 }

// locale holds the words one language needs for dates and service hours.
type locale struct {
	lang     string
	weekdays [7]string // indexed by time.Weekday (Sunday first)
	short    [7]string // short weekday names used in service hours
	months   [12]string
	groupSep string // between day groups
	zoneFmt  string // wraps the zone label
	holidays string // "except public holidays" clause, with leading separator
	// rangeFmt joins first and last day of a run of three or more days;
	// pairFmt two adjacent days; singleFmt one day.
	rangeFmt, pairFmt, singleFmt string
	groupFmt                     string // days, hours
}

func (l locale) dayGroup(from, to time.Weekday, n int, hours string) string {
	var days string
	switch {
	case n == 1:
		days = fmt.Sprintf(l.singleFmt, l.short[from])
	case n == 2:
		days = fmt.Sprintf(l.pairFmt, l.short[from], l.short[to])
	default:
		f := l.rangeFmt
		if l.lang == "it" && to == time.Sunday {
			f = "dal %s alla %s" // domenica is feminine
		}
		days = fmt.Sprintf(f, l.short[from], l.short[to])
	}
	return fmt.Sprintf(l.groupFmt, days, hours)
}

// localeFor returns the words for a normalized language; unknown languages
// get English. A function rather than a package table keeps the package
// free of mutable globals.
func localeFor(lang string) locale {
	switch lang {
	case "zh":
		return locale{
			lang:     "zh",
			weekdays: [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"},
			short:    [7]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"},
			groupSep: "，", zoneFmt: "（%s）", holidays: "，法定节假日除外",
			rangeFmt: "%s至%s", pairFmt: "%s、%s", singleFmt: "%s", groupFmt: "%s %s",
		}
	case "ja":
		return locale{
			lang:     "ja",
			weekdays: [7]string{"日", "月", "火", "水", "木", "金", "土"},
			short:    [7]string{"日曜日", "月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日"},
			groupSep: "、", zoneFmt: "（%s）", holidays: "、祝日を除く",
			rangeFmt: "%s～%s", pairFmt: "%s・%s", singleFmt: "%s", groupFmt: "%s %s",
		}
	case "de":
		return locale{
			lang:     "de",
			weekdays: [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
			months:   [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
			groupSep: "; ", zoneFmt: " (%s)", holidays: ", außer an Feiertagen",
			rangeFmt: "%s bis %s", pairFmt: "%s und %s", singleFmt: "%s", groupFmt: "%s, %s Uhr",
		}.withShort()
	case "fr":
		return locale{
			lang:     "fr",
			weekdays: [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
			months:   [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
			groupSep: " ; ", zoneFmt: " (%s)", holidays: ", sauf jours fériés",
			rangeFmt: "du %s au %s", pairFmt: "%s et %s", singleFmt: "le %s", groupFmt: "%s, %s",
		}.withShort()
	case "es":
		return locale{
			lang:     "es",
			weekdays: [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
			months:   [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
			groupSep: "; ", zoneFmt: " (%s)", holidays: ", excepto festivos",
			rangeFmt: "de %s a %s", pairFmt: "%s y %s", singleFmt: "%s", groupFmt: "%s, %s",
		}.withShort()
	case "it":
		return locale{
			lang:     "it",
			weekdays: [7]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"},
			months:   [12]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
			groupSep: "; ", zoneFmt: " (%s)", holidays: ", esclusi i giorni festivi",
			rangeFmt: "dal %s al %s", pairFmt: "%s e %s", singleFmt: "il %s", groupFmt: "%s, %s",
		}.withShort()
	default:
		return locale{
			lang:     "en",
			weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
			months:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
			groupSep: "; ", zoneFmt: " (%s)", holidays: ", except public holidays",
			rangeFmt: "%s to %s", pairFmt: "%s and %s", singleFmt: "%s", groupFmt: "%s, %s",
		}.withShort()
	}
}

// withShort uses the full weekday names for service hours, which is what
// the European languages write in running text.
func (l locale) withShort() locale {
	l.short = l.weekdays
	return l
}
