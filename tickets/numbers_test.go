package tickets

import (
	"context"
	"fmt"
	"testing"

	"gorm.io/gorm"

	"helpdesk/internal/testmail"
)

// Ticket numbers are counted in memory within a batch and written back
// once (nextTicketNumber). They must stay gapless and unique across
// batches, and a batch that fails must give its numbers back.
func TestTicketNumbersAcrossBatchesAndRollback(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		src := generatedSource(30, 1000)
		pass(t, svc, src) // batches of 7: five transactions
		wantRefs(t, svc, 1001, 1030)
		wantCounter(t, store, 1030)

		// The store refuses the middle message of the next batch: the
		// batch rolls back, then goes one message per transaction.
		refuse := `CREATE TRIGGER refuse_one BEFORE INSERT ON messages
			WHEN NEW.subject = 'refuse me' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`
		if driver == "postgres" {
			must(t, store.db.Exec(`CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$
				BEGIN IF NEW.subject = 'refuse me' THEN RAISE EXCEPTION 'refused by test'; END IF; RETURN NEW; END $$`).Error)
			refuse = `CREATE TRIGGER refuse_one BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_one()`
		}
		must(t, store.db.Exec(refuse).Error)
		src.add(testmail.Message(40, 1000, testmail.Options{}))
		src.add(testmail.Message(41, 1000, testmail.Options{Subject: "refuse me"}))
		src.add(testmail.Message(42, 1000, testmail.Options{}))
		st := pass(t, svc, src)
		if st.Stored != 2 || st.Quarantined != 1 {
			t.Fatalf("pass = %+v, want 2 stored and 1 quarantined", st)
		}
		wantRefs(t, svc, 1001, 1032)
		wantCounter(t, store, 1032)
	})
}

// wantRefs checks that the tickets are exactly XY-first..XY-last.
func wantRefs(t *testing.T, svc *Service, first, last int) {
	t.Helper()
	list, err := svc.ListTickets(context.Background(), ListFilter{})
	must(t, err)
	got := map[string]bool{}
	for _, tk := range list {
		got[tk.Ref] = true
	}
	if len(list) != last-first+1 {
		t.Errorf("%d tickets, want %d", len(list), last-first+1)
	}
	for n := first; n <= last; n++ {
		if ref := fmt.Sprintf("XY-%d", n); !got[ref] {
			t.Errorf("no ticket %s", ref)
		}
	}
}

func wantCounter(t *testing.T, store *Store, want int64) {
	t.Helper()
	var last int64
	must(t, store.db.Raw(`SELECT last FROM ticket_counters WHERE brand = ?`, "xiyue").Scan(&last).Error)
	if last != want {
		t.Errorf("ticket counter = %d, want %d", last, want)
	}
}

// BenchmarkTicketNumbers compares the counter row's UPDATE ... RETURNING
// (the first number of a batch) with a plain UPDATE (the write-back) and
// a number counted in the batch (every other one).
func BenchmarkTicketNumbers(b *testing.B) {
	store := openTestStore(b, "sqlite")
	svc := newTestService(b, store, testConfig(b))
	tx := benchBatchTx(b, store)
	if _, err := svc.takeTicketNumber(tx, "xiyue"); err != nil {
		b.Fatal(err)
	}
	b.Run("update-returning", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := svc.takeTicketNumber(tx, "xiyue"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain-update", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := execSQL(tx, "sqlite", `UPDATE ticket_counters SET last = ? WHERE brand = ?`, int64(i), "xiyue"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("counted-in-batch", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := svc.nextTicketNumber(tx, "xiyue"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDedupeKey is the writer's dedupe lookup for a new message with
// a Message-ID, in a batch transaction over a store of 2,000 messages.
//
//	go test -run '^$' -bench DedupeKey -benchtime 20000x ./tickets/
func BenchmarkDedupeKey(b *testing.B) {
	store := openTestStore(b, "sqlite")
	svc := newTestService(b, store, testConfig(b))
	src := generatedSource(2000, 500)
	if _, err := svc.NewIngester(&svc.cfg.Brands[0], IngestOptions{}).Pass(context.Background(), src); err != nil {
		b.Fatal(err)
	}
	tx := benchBatchTx(b, store)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		key, dup, err := svc.dedupeKey(tx, "xiyue", fmt.Sprintf("<new-%d@example.com>", i), "0123456789abcdef0123456789abcdef")
		if err != nil || dup || key == "" {
			b.Fatalf("dedupeKey = %q, %v, %v", key, dup, err)
		}
	}
}

// benchBatchTx opens a SQLite transaction with a batch's statement cache,
// as storeBatch does, rolled back when the benchmark ends.
func benchBatchTx(b *testing.B, store *Store) *gorm.DB {
	tx0 := store.db.WithContext(context.WithoutCancel(context.Background())).Begin()
	tx, closeStmts := withStmtCache(tx0, false)
	b.Cleanup(func() {
		closeStmts()
		tx0.Rollback()
	})
	return tx
}
