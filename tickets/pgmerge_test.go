package tickets

import (
	"regexp"
	"strings"
	"testing"
)

// TestMergedInsertsMatchPlainOnes keeps the PostgreSQL statements that
// merge inserts (pgmerge.go) in step with the plain ones: the same columns
// in the same order, and one placeholder per value the code passes.
func TestMergedInsertsMatchPlainOnes(t *testing.T) {
	columns := func(q, table string) string {
		m := regexp.MustCompile(`INSERT INTO ` + table + ` \(([^)]*)\)`).FindStringSubmatch(q)
		if m == nil {
			t.Fatalf("no INSERT INTO %s in %q", table, q[:60])
		}
		return strings.Join(strings.Fields(m[1]), " ")
	}
	for _, tc := range []struct {
		name, merged, plain, table string
	}{
		{"message", insertMessageWithRawPG, insertMessageSQL, "messages"},
		{"queued message", queueWithRawPG, insertMessageSQL, "messages"},
		{"queued outbox row", queueWithRawPG, insertOutboxSQL, "outbox"},
	} {
		if got, want := columns(tc.merged, tc.table), columns(tc.plain, tc.table); got != want {
			t.Errorf("%s: columns\n%s\nwant\n%s", tc.name, got, want)
		}
	}
	m := &Message{}
	if n, want := strings.Count(insertMessageWithRawPG, "?"), 1+len(messageArgs(m, false)); n != want {
		t.Errorf("insertMessageWithRawPG: %d placeholders, %d values", n, want)
	}
	if n, want := strings.Count(insertMessageSQL, "?"), len(messageArgs(m, true)); n != want {
		t.Errorf("insertMessageSQL: %d placeholders, %d values", n, want)
	}
	// queueWithRaw passes the raw bytes, the message without raw_id, and
	// the outbox row without message_row_id and raw_id.
	if n, want := strings.Count(queueWithRawPG, "?"), 1+len(messageArgs(m, false))+strings.Count(insertOutboxSQL, "?")-2; n != want {
		t.Errorf("queueWithRawPG: %d placeholders, want %d", n, want)
	}
}
