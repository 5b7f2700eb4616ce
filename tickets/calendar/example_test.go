package calendar_test

import (
	"fmt"
	"time"

	"helpdesk/tickets/calendar"
)

func ExampleCalendar_Due() {
	cal := calendar.Default() // Asia/Shanghai, Mon-Fri 09:00-18:00, cn holidays
	d, err := calendar.ParseDuration("2bh")
	if err != nil {
		panic(err)
	}
	// Wednesday 2026-09-30 17:00 in Shanghai: one hour today, then the
	// National Day holidays (10-01..10-07) do not count.
	start := time.Date(2026, 9, 30, 9, 0, 0, 0, time.UTC)
	due := cal.Due(start, d)
	fmt.Println(due.Format(time.RFC3339))
	fmt.Println(calendar.FormatDue(due, cal.Location(), "en"))
	fmt.Println(calendar.FormatDue(due, cal.Location(), "zh"))
	// Output:
	// 2026-10-08T10:00:00+08:00
	// Thursday 8 October, 10:00 (UTC+8)
	// 10月8日（星期四）10:00（UTC+8）
}

func ExampleCalendar_WithOverride() {
	shared := calendar.Default()
	brand, err := shared.WithOverride(calendar.Spec{
		Hours: map[string]string{"mon": "09:00-12:00,13:30-18:00", "tue": "09:00-12:00,13:30-18:00",
			"wed": "09:00-12:00,13:30-18:00", "thu": "09:00-12:00,13:30-18:00", "fri": "09:00-12:00,13:30-18:00"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(shared.DayLength(), brand.DayLength())
	// Output: 9h0m0s 7h30m0s
}
