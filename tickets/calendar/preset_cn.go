package calendar

// cnPreset returns the mainland-China public holidays (放假) and make-up
// working days (调休上班) for the years the package ships, in the same
// syntax as Spec.Holidays and Spec.Workdays. It is a function rather than a
// package variable so no caller can alter the shipped data.
//
// Sources: the State Council General Office notices on the holiday
// arrangements (国务院办公厅关于 YYYY 年部分节假日安排的通知), which are
// published in November of the year before. testdata/cn_preset.golden lists
// every resulting date with its weekday for review.
//
// To add a year: append its ranges here, run
// `go test ./tickets/calendar/ -run TestCNPresetGolden -update` and check the
// golden diff against the notice.
func cnPreset() (holidays, workdays []string) {
	holidays = []string{
		// 2025, notice of 2024-11-12 (first year with 除夕 and 5月2日 as
		// statutory days).
		"2025-01-01",             // 元旦
		"2025-01-28..2025-02-04", // 春节
		"2025-04-04..2025-04-06", // 清明节
		"2025-05-01..2025-05-05", // 劳动节
		"2025-05-31..2025-06-02", // 端午节
		"2025-10-01..2025-10-08", // 国庆节、中秋节

		// 2026, notice of 2025-11-04.
		"2026-01-01..2026-01-03", // 元旦
		"2026-02-15..2026-02-23", // 春节
		"2026-04-04..2026-04-06", // 清明节
		"2026-05-01..2026-05-05", // 劳动节
		"2026-06-19..2026-06-21", // 端午节
		"2026-09-25..2026-09-27", // 中秋节
		"2026-10-01..2026-10-07", // 国庆节

		// 2027: PROVISIONAL. No official notice was available when this
		// table was written; the dates apply the principles the 2025
		// notice set out (春节 8 days from 除夕, 国庆 7 days from 10-01,
		// 劳动节 5 days, the others 3 days joined to a weekend, or only the
		// day itself when it falls on a Wednesday) to the 2027 lunar
		// dates (除夕 02-05 Fri, 清明 04-05 Mon, 端午 06-09 Wed,
		// 中秋 09-15 Wed). 元旦, 清明, 端午 and 中秋 follow from those rules
		// alone; the 春节, 劳动节 and 国庆 blocks and every 2027 workday
		// below are projections. VERIFY AGAINST THE OFFICIAL 2027 NOTICE
		// and fix this block (and the golden file) when it is out.
		"2027-01-01..2027-01-03", // 元旦
		"2027-02-05..2027-02-12", // 春节 (projected)
		"2027-04-03..2027-04-05", // 清明节
		"2027-05-01..2027-05-05", // 劳动节 (projected)
		"2027-06-09",             // 端午节
		"2027-09-15",             // 中秋节
		"2027-10-01..2027-10-07", // 国庆节 (projected; same weekdays as 2021)
	}
	workdays = []string{
		// 2025
		"2025-01-26", "2025-02-08", // 春节
		"2025-04-27",               // 劳动节
		"2025-09-28", "2025-10-11", // 国庆节、中秋节

		// 2026
		"2026-01-04",               // 元旦
		"2026-02-14", "2026-02-28", // 春节
		"2026-05-09",               // 劳动节
		"2026-09-20", "2026-10-10", // 国庆节

		// 2027: PROVISIONAL, see above.
		"2027-01-31", "2027-02-13", // 春节 (projected)
		"2027-05-08",               // 劳动节 (projected)
		"2027-09-26", "2027-10-09", // 国庆节 (projected)
	}
	return holidays, workdays
}

// cnPresetLastYear is the last year the cn preset covers; deadlines beyond
// it see only the weekly hours and configured dates.
const cnPresetLastYear = 2027
