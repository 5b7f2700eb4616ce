package tickets

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
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

// TestIngestLosingTheInsertRace: the dedupe lookup finds the Message-ID
// free, but the insert then meets a row with the same dedupe key (another
// instance stored the message in between; simulated with a row whose
// message_id column differs). The message counts as a duplicate and its
// raw bytes, stored in the same statement on PostgreSQL, are removed.
func TestIngestLosingTheInsertRace(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		raw := testmail.Message(0, 3000, testmail.Options{})
		mid := mailbox.Parse(raw, mailbox.ParseOptions{}).MessageID
		must(t, store.db.Create(&Message{Brand: svc.cfg.Brands[0].ID, Direction: DirectionIn, MessageID: "elsewhere",
			DedupeKey: "mid:" + mid, ToAddrs: "[]", CcAddrs: "[]", AutomatedReasons: "[]", ParseErrors: "[]", Reasons: "[]",
			CreatedAt: time.Now()}).Error)
		src := newFakeSource(1)
		src.add(raw)
		st := pass(t, svc, src)
		if st.Duplicates != 1 || st.Stored != 0 {
			t.Errorf("pass = %+v, want one duplicate", st)
		}
		if n := countRows(t, store, "raw_messages"); n != 0 {
			t.Errorf("%d raw messages left behind", n)
		}
		if n := countRows(t, store, "tickets"); n != 0 {
			t.Errorf("%d tickets opened for a message that was not stored", n)
		}
		// The number went back: the next ticket is the first.
		src.add(testmail.Message(1, 3000, testmail.Options{}))
		if st := pass(t, svc, src); st.Stored != 1 || st.NewTickets != 1 {
			t.Fatalf("second pass = %+v", st)
		}
		list, err := svc.ListTickets(context.Background(), ListFilter{})
		must(t, err)
		if len(list) != 1 || list[0].Ref != "XY-1001" {
			t.Errorf("tickets = %+v, want only XY-1001", list)
		}
	})
}
