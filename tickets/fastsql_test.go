package tickets

import (
	"testing"
	"time"

	"gorm.io/gorm"
)

// insertID returns the new row's id, and for a row that ON CONFLICT DO
// NOTHING skipped, no id at all (not the id of the previous insert), with
// and without the batch's statement cache.
func TestInsertIDReportsSkippedRows(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		for _, cached := range []bool{false, true} {
			err := store.db.Transaction(func(tx *gorm.DB) error {
				if cached {
					var done func()
					tx, done = withStmtCache(tx, driver == "postgres")
					defer done()
				}
				key := "mid:insert-id-" + map[bool]string{false: "plain", true: "cached"}[cached]
				m := &Message{Brand: "xy", Direction: DirectionIn, DedupeKey: key, CreatedAt: time.Now().UTC(),
					ToAddrs: "[]", CcAddrs: "[]", AutomatedReasons: "[]", ParseErrors: "[]", Reasons: "[]"}
				ok, err := svc.insertMessage(tx, m)
				if err != nil || !ok || m.ID == 0 {
					t.Fatalf("first insert: ok %v, id %d, err %v", ok, m.ID, err)
				}
				var stored int64
				must(t, tx.Raw("SELECT id FROM messages WHERE dedupe_key = ?", key).Scan(&stored).Error)
				if stored != m.ID {
					t.Errorf("insert returned id %d, row has %d", m.ID, stored)
				}
				rawID, err := svc.insertRaw(tx, []byte("Subject: x\r\n\r\nbody"))
				if err != nil || rawID == 0 {
					t.Fatalf("raw insert: id %d, err %v", rawID, err)
				}
				again := *m
				again.ID = 0
				ok, err = svc.insertMessage(tx, &again)
				if err != nil || ok || again.ID != 0 {
					t.Errorf("duplicate insert: ok %v, id %d, err %v; want skipped with no id", ok, again.ID, err)
				}
				return nil
			})
			must(t, err)
		}
	})
}
