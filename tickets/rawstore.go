package tickets

import (
	"fmt"

	"gorm.io/gorm"
)

// Raw messages are stored whole in raw_messages.data when small. A large
// one (a 25 MB attachment makes a 34 MB message) is cut into raw_chunks
// of rawChunkSize: SQLite copies a bound blob and then builds the record
// from it, and pgx encodes it into its send buffer, so one 34 MB value
// costs the database driver two or three times its size in memory. Chunks
// cap that at a few MiB whatever the message, and raw_messages.data is then
// empty with raw_messages.chunks counting the pieces.
const rawChunkSize = 1 << 20

const schemaV6 = `
ALTER TABLE raw_messages ADD COLUMN chunks BIGINT NOT NULL DEFAULT 0;
CREATE TABLE raw_chunks (
	raw_id BIGINT NOT NULL REFERENCES raw_messages (id) ON DELETE CASCADE,
	seq BIGINT NOT NULL,
	data {{blob}} NOT NULL,
	PRIMARY KEY (raw_id, seq)
);
`

// schemaV7 has PostgreSQL compress the columns that hold mail with lz4
// instead of its default pglz, where the server is built with lz4 (14 and
// later, as Debian's is). A 25 KB message and its 19 KB of text go through
// TOAST compression on every insert, and pglz ran on the same cores as
// ingest: BenchmarkIngest, 5,000 typical messages, 256-287 -> 329-374
// msgs/s. Values stored before keep pglz; both read the same. SQLite does
// not compress, and the placeholder is empty there.
const schemaV7 = `{{lz4_mail_columns}}`

// lz4MailColumnsPostgres is one statement (semicolons inside it are
// written {{semicolon}}); EXECUTE keeps the ALTERs unparsed on a server
// that knows no compression methods.
const lz4MailColumnsPostgres = `DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
		EXECUTE 'ALTER TABLE raw_messages ALTER COLUMN data SET COMPRESSION lz4'{{semicolon}}
		EXECUTE 'ALTER TABLE raw_chunks ALTER COLUMN data SET COMPRESSION lz4'{{semicolon}}
		EXECUTE 'ALTER TABLE attachments ALTER COLUMN data SET COMPRESSION lz4'{{semicolon}}
		EXECUTE 'ALTER TABLE messages ALTER COLUMN text SET COMPRESSION lz4, ALTER COLUMN new_text SET COMPRESSION lz4, '
			'ALTER COLUMN quoted SET COMPRESSION lz4, ALTER COLUMN signature SET COMPRESSION lz4, ALTER COLUMN html SET COMPRESSION lz4'{{semicolon}}
	END IF{{semicolon}}
END $$`

const (
	insertRawSQL        = `INSERT INTO raw_messages (data) VALUES (?) RETURNING id`
	insertRawChunkedSQL = `INSERT INTO raw_messages (data, chunks) VALUES (?, ?) RETURNING id`
	insertRawChunkSQL   = `INSERT INTO raw_chunks (raw_id, seq, data) VALUES (?, ?, ?)`
)

// insertRaw stores one raw message and returns its id.
func (s *Service) insertRaw(tx *gorm.DB, data []byte) (int64, error) {
	return insertRawData(tx, s.store.driver, data)
}

func insertRawData(tx *gorm.DB, driver string, data []byte) (int64, error) {
	if len(data) <= rawChunkSize {
		id, _, err := insertID(tx, driver, insertRawSQL, data)
		if err != nil {
			return 0, fmt.Errorf("storing raw message: %w", err)
		}
		return id, nil
	}
	n := (len(data) + rawChunkSize - 1) / rawChunkSize
	id, _, err := insertID(tx, driver, insertRawChunkedSQL, []byte{}, n)
	if err != nil {
		return 0, fmt.Errorf("storing raw message: %w", err)
	}
	if err := insertRawChunks(tx, driver, id, data); err != nil {
		return 0, err
	}
	return id, nil
}

func insertRawChunks(tx *gorm.DB, driver string, id int64, data []byte) error {
	for seq := 0; len(data) > 0; seq++ {
		piece := data[:min(rawChunkSize, len(data))]
		data = data[len(piece):]
		if err := execSQL(tx, driver, insertRawChunkSQL, id, seq, piece); err != nil {
			return fmt.Errorf("storing raw message %d, chunk %d: %w", id, seq, err)
		}
	}
	return nil
}

// loadRaw returns the raw bytes of raw message id, reassembled from its
// chunks when it has them.
func loadRaw(tx *gorm.DB, id int64) ([]byte, error) {
	var r RawMessage
	if err := tx.First(&r, id).Error; err != nil {
		return nil, fmt.Errorf("loading raw message %d: %w", id, err)
	}
	return rawBytes(tx, r)
}

// rawBytes completes r from raw_chunks when it is chunked.
func rawBytes(tx *gorm.DB, r RawMessage) ([]byte, error) {
	if r.Chunks == 0 {
		return r.Data, nil
	}
	rows, err := tx.Table("raw_chunks").Select("data").Where("raw_id = ?", r.ID).Order("seq").Rows()
	if err != nil {
		return nil, fmt.Errorf("loading raw message %d: %w", r.ID, err)
	}
	defer rows.Close()
	out := make([]byte, 0, r.Chunks*rawChunkSize)
	seq := 0
	for rows.Next() {
		var piece []byte
		if err := rows.Scan(&piece); err != nil {
			return nil, fmt.Errorf("loading raw message %d, chunk %d: %w", r.ID, seq, err)
		}
		out = append(out, piece...)
		seq++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("loading raw message %d: %w", r.ID, err)
	}
	if seq != int(r.Chunks) {
		return nil, fmt.Errorf("raw message %d: %d of %d chunks present", r.ID, seq, r.Chunks)
	}
	return out, nil
}

// replaceRaw overwrites raw message id with data (erasure's redaction),
// re-cutting chunks as needed. The old chunks are deleted, so with
// secure_delete their bytes are overwritten on SQLite too.
func replaceRaw(tx *gorm.DB, driver string, id int64, data []byte) error {
	if err := tx.Exec(`DELETE FROM raw_chunks WHERE raw_id = ?`, id).Error; err != nil {
		return fmt.Errorf("rewriting raw message %d: %w", id, err)
	}
	if len(data) <= rawChunkSize {
		return tx.Model(&RawMessage{}).Where("id = ?", id).Updates(map[string]any{"data": data, "chunks": 0}).Error
	}
	n := (len(data) + rawChunkSize - 1) / rawChunkSize
	if err := tx.Model(&RawMessage{}).Where("id = ?", id).Updates(map[string]any{"data": []byte{}, "chunks": n}).Error; err != nil {
		return fmt.Errorf("rewriting raw message %d: %w", id, err)
	}
	return insertRawChunks(tx, driver, id, data)
}
