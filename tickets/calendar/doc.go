// Package calendar is the business calendar behind every SLA deadline: the
// opening hours of a support team in one time zone, its holidays and its
// make-up working days, and the arithmetic that turns "answer within 3
// business days" into an instant.
//
// # Configuration
//
// A [Spec] is the `calendar:` block of the config file. [New] validates it
// (every problem is reported, each as a [*SpecError] naming its field, e.g.
// "calendar.hours.mon: ...") and builds an immutable [*Calendar].
// [Default] is Asia/Shanghai, Mon-Fri 09:00-18:00, preset cn. A brand
// adjusts the shared calendar with [Calendar.WithOverride]: each field the
// brand sets replaces the shared one wholesale.
//
//   - timezone: an IANA name or a fixed offset ("UTC+08:00", "UTC+8",
//     "+08:00"); empty means Asia/Shanghai. "Local" is refused: deadlines
//     never depend on the host's TZ. The zone database is embedded
//     (time/tzdata), so names load on hosts without zoneinfo.
//   - hours: mon..sun to "09:00-18:00" or split shifts
//     "09:00-12:00,13:30-18:00"; a missing day is closed; "24:00" may end a
//     shift. No hours at all means Mon-Fri 09:00-18:00.
//   - preset: "cn" adds the shipped mainland-China public holidays and
//     make-up working days (2025 and 2026 from the official notices, 2027
//     provisional until its notice is checked; see preset_cn.go). Empty or
//     "none": only the lists below.
//   - holidays / workdays: dates or inclusive ranges
//     ("2026-10-01..2026-10-07"). They add to the preset and win over it:
//     a configured workday reopens a preset holiday and a configured holiday
//     closes a preset workday. A date in both configured lists is an error.
//
// The standard day is the most common non-empty daily schedule of the week
// (Monday first on a tie). Make-up workdays open with its hours, and its
// length is one business day: 09:00-18:00 makes 1bd = 9h, split shifts
// 09:00-12:00,13:30-18:00 make 1bd = 7.5h.
//
// # Durations
//
// [ParseDuration] reads "8bh" (business hours), "3bd" (business days),
// both with up to three decimals ("1.5bh"), and Go durations ("48h",
// "90m"), which are wall clock and ignore the calendar.
//
// # Deadlines
//
// [Calendar.Due] is the earliest instant at which the open time accrued
// since the start equals the target. Time outside opening hours, on
// weekends and on holidays does not accrue; make-up workdays do. A target
// reached exactly at closing time is due at that closing time (Mon 17:00 +
// 1bh = Mon 18:00, not Tue 09:00); a start outside hours begins accruing at
// the next opening (Mon 18:00 + 1bh = Tue 10:00); a zero target is due at
// the start. Results are in the calendar's zone whatever the input's zone.
// [Calendar.Elapsed] is the inverse: the open time between two instants, so
// Elapsed(s, Due(s, d)) == BusinessTime(d).
//
// Open time is counted on the calendar's wall clock. For the fixed-offset
// zones the shops use this is plain elapsed time; in a zone with daylight
// saving, a shift change inside opening hours does not lengthen or shorten
// the day.
//
// Neither walks the calendar day by day: a week's open time is
// precomputed, whole weeks are multiplied out, leftover weekdays come from
// a prefix sum, and holidays and workdays in the range come from a prefix
// sum over their sorted dates. A 30bd deadline costs a few binary searches
// (see BenchmarkDue30bd).
//
// [FormatDue] renders a deadline for customers in en, zh, ja, de, fr, es
// and it, with the UTC offset spelled out ("Wednesday 25 November, 18:00
// (UTC+8)").
package calendar
