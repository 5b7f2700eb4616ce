package tickets

import (
	"bytes"
	"context"
	"testing"

	"gorm.io/gorm"
)

// TestRawChunks stores raw messages around the chunk size and reads them
// back whole, rewrites them larger and smaller, and deletes them.
func TestRawChunks(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		for _, tc := range []struct {
			name       string
			size       int
			wantChunks int64
		}{
			{"empty", 0, 0},
			{"small", 3000, 0},
			{"exactly one chunk", rawChunkSize, 0},
			{"one byte over", rawChunkSize + 1, 2},
			{"three and a half", rawChunkSize*3 + rawChunkSize/2, 4},
		} {
			t.Run(tc.name, func(t *testing.T) {
				data := pattern(tc.size)
				var id int64
				must(t, store.db.Transaction(func(tx *gorm.DB) error {
					var err error
					id, err = svc.insertRaw(tx, data)
					return err
				}))
				var r RawMessage
				must(t, store.db.First(&r, id).Error)
				if r.Chunks != tc.wantChunks {
					t.Errorf("chunks = %d, want %d", r.Chunks, tc.wantChunks)
				}
				got, err := loadRaw(store.db, id)
				must(t, err)
				if !bytes.Equal(got, data) {
					t.Fatalf("read back %d bytes, differ from the %d stored", len(got), len(data))
				}
				for _, size := range []int{tc.size + 2*rawChunkSize, 10} {
					repl := pattern(size)
					repl[0] = 'X'
					must(t, replaceRaw(store.db, driver, id, repl))
					got, err := loadRaw(store.db, id)
					must(t, err)
					if !bytes.Equal(got, repl) {
						t.Fatalf("after rewriting to %d bytes read back %d that differ", size, len(got))
					}
				}
				must(t, replaceRaw(store.db, driver, id, data))
				out, err := store.rawFor(context.Background(), []*OutboxRow{{RawID: &id}})
				must(t, err)
				if !bytes.Equal(out[id], data) {
					t.Errorf("rawFor: %d bytes, want the %d stored", len(out[id]), len(data))
				}
				must(t, store.db.Delete(&RawMessage{}, id).Error)
				var left int64
				must(t, store.db.Table("raw_chunks").Where("raw_id = ?", id).Count(&left).Error)
				if left != 0 {
					t.Errorf("%d chunks left after deleting the raw message", left)
				}
			})
		}
	})
}

// TestRawChunksMissingPiece reports a damaged chunked message instead of
// returning it short.
func TestRawChunksMissingPiece(t *testing.T) {
	store := openTestStore(t, "sqlite")
	svc := newTestService(t, store, testConfig(t))
	var id int64
	must(t, store.db.Transaction(func(tx *gorm.DB) error {
		var err error
		id, err = svc.insertRaw(tx, pattern(2*rawChunkSize+5))
		return err
	}))
	must(t, store.db.Exec(`DELETE FROM raw_chunks WHERE raw_id = ? AND seq = 1`, id).Error)
	if _, err := loadRaw(store.db, id); err == nil {
		t.Fatal("loadRaw returned a message with a chunk missing")
	}
}

// pattern returns n bytes that differ from chunk to chunk, so a swapped or
// repeated chunk shows.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + (i/7919)%26)
	}
	return b
}

// TestPostgresMailColumnsUseLZ4 checks migration 7: on a server built with
// lz4 the mail columns compress with it, and a large text survives the
// round trip.
func TestPostgresMailColumnsUseLZ4(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		if driver != "postgres" {
			t.Skip("PostgreSQL only: SQLite does not compress")
		}
		store := openTestStore(t, driver)
		var lz4 int64
		must(t, store.db.Raw(`SELECT COUNT(*) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`).Scan(&lz4).Error)
		want := ""
		if lz4 > 0 {
			want = "l"
		}
		for _, col := range [][2]string{{"raw_messages", "data"}, {"raw_chunks", "data"}, {"attachments", "data"},
			{"messages", "text"}, {"messages", "new_text"}, {"messages", "quoted"}, {"messages", "signature"}, {"messages", "html"}} {
			var got string
			must(t, store.db.Raw(`SELECT attcompression::text FROM pg_attribute WHERE attrelid = ?::regclass AND attname = ?`,
				col[0], col[1]).Scan(&got).Error)
			if got != want {
				t.Errorf("%s.%s compression = %q, want %q (lz4 supported: %v)", col[0], col[1], got, want, lz4 > 0)
			}
		}
		data := pattern(200_000)
		id, err := insertRawData(store.db, driver, data)
		must(t, err)
		back, err := loadRaw(store.db, id)
		must(t, err)
		if !bytes.Equal(back, data) {
			t.Errorf("200 KB raw message read back as %d different bytes", len(back))
		}
	})
}
