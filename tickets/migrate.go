package tickets

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one schema version. Its SQL is written once for both
// dialects with placeholders ({{pk}}, {{blob}}, {{time}}, {{bool}}) and is
// never edited after release: a schema change is a new migration.
type migration struct {
	version int
	name    string
	sql     string
}

// dialect returns the replacer that turns migration placeholders into the
// driver's column types.
func dialect(driver string) *strings.Replacer {
	if driver == "postgres" {
		return strings.NewReplacer("{{pk}}", "BIGSERIAL PRIMARY KEY", "{{blob}}", "BYTEA",
			"{{time}}", "TIMESTAMPTZ", "{{bool}}", "BOOLEAN", "{{audit_append_only}}", auditAppendOnlyPostgres,
			"{{lz4_mail_columns}}", lz4MailColumnsPostgres)
	}
	return strings.NewReplacer("{{pk}}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{{blob}}", "BLOB",
		"{{time}}", "DATETIME", "{{bool}}", "BOOLEAN", "{{audit_append_only}}", auditAppendOnlySQLite,
		"{{lz4_mail_columns}}", "")
}

func migrations() []migration {
	return []migration{
		{1, "initial schema", schemaV1},
		{2, "outbox", schemaV2},
		{3, "classification corrections", schemaV3},
		{4, "privacy: verification, consent, audit, retention", schemaV4},
		{5, "notices and broadcast recipients", schemaV5},
		{6, "large raw messages in chunks", schemaV6},
		{7, "lz4 compression for mail columns (PostgreSQL)", schemaV7},
	}
}

const schemaV1 = `
CREATE TABLE customers (
	id {{pk}},
	brand TEXT NOT NULL,
	email TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT '',
	verified_at {{time}},
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX customers_brand_email ON customers (brand, email);

CREATE TABLE ticket_counters (
	brand TEXT PRIMARY KEY,
	last BIGINT NOT NULL
);

CREATE TABLE tickets (
	id {{pk}},
	brand TEXT NOT NULL,
	number BIGINT NOT NULL,
	ref TEXT NOT NULL,
	customer_id BIGINT NOT NULL REFERENCES customers (id),
	subject TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL DEFAULT '',
	rights_type TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	automated {{bool}} NOT NULL DEFAULT FALSE,
	status TEXT NOT NULL,
	priority TEXT NOT NULL DEFAULT 'normal',
	confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
	reasons TEXT NOT NULL DEFAULT '[]',
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	sla_started_at {{time}},
	first_response_due {{time}},
	first_response_at {{time}},
	resolution_due {{time}},
	resolved_at {{time}},
	paused_at {{time}},
	paused_open_ns BIGINT NOT NULL DEFAULT 0,
	paused_wall_ns BIGINT NOT NULL DEFAULT 0,
	first_response_warned {{bool}} NOT NULL DEFAULT FALSE,
	first_response_breached {{bool}} NOT NULL DEFAULT FALSE,
	warned {{bool}} NOT NULL DEFAULT FALSE,
	breached {{bool}} NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX tickets_ref ON tickets (ref);
CREATE INDEX tickets_status ON tickets (status);
CREATE INDEX tickets_customer ON tickets (customer_id);

CREATE TABLE raw_messages (
	id {{pk}},
	data {{blob}} NOT NULL
);

CREATE TABLE messages (
	id {{pk}},
	brand TEXT NOT NULL,
	ticket_id BIGINT REFERENCES tickets (id),
	direction TEXT NOT NULL,
	message_id TEXT NOT NULL DEFAULT '',
	dedupe_key TEXT NOT NULL,
	content_key TEXT NOT NULL DEFAULT '',
	from_email TEXT NOT NULL DEFAULT '',
	from_name TEXT NOT NULL DEFAULT '',
	to_addrs TEXT NOT NULL DEFAULT '[]',
	cc_addrs TEXT NOT NULL DEFAULT '[]',
	subject TEXT NOT NULL DEFAULT '',
	date {{time}},
	in_reply_to TEXT NOT NULL DEFAULT '',
	refs TEXT NOT NULL DEFAULT '',
	text TEXT NOT NULL DEFAULT '',
	new_text TEXT NOT NULL DEFAULT '',
	quoted TEXT NOT NULL DEFAULT '',
	signature TEXT NOT NULL DEFAULT '',
	html TEXT NOT NULL DEFAULT '',
	automated {{bool}} NOT NULL DEFAULT FALSE,
	automated_reasons TEXT NOT NULL DEFAULT '[]',
	parse_errors TEXT NOT NULL DEFAULT '[]',
	size BIGINT NOT NULL DEFAULT 0,
	content_hash TEXT NOT NULL DEFAULT '',
	raw_id BIGINT REFERENCES raw_messages (id),
	folder TEXT NOT NULL DEFAULT '',
	uid_validity BIGINT NOT NULL DEFAULT 0,
	uid BIGINT NOT NULL DEFAULT 0,
	category TEXT NOT NULL DEFAULT '',
	rights_type TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
	reasons TEXT NOT NULL DEFAULT '[]',
	created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX messages_dedupe ON messages (brand, dedupe_key);
CREATE INDEX messages_message_id ON messages (brand, message_id);
CREATE INDEX messages_ticket ON messages (ticket_id);

CREATE TABLE attachments (
	id {{pk}},
	message_id BIGINT NOT NULL REFERENCES messages (id),
	filename TEXT NOT NULL DEFAULT '',
	content_type TEXT NOT NULL DEFAULT '',
	content_id TEXT NOT NULL DEFAULT '',
	inline {{bool}} NOT NULL DEFAULT FALSE,
	size BIGINT NOT NULL DEFAULT 0,
	data {{blob}}
);
CREATE INDEX attachments_message ON attachments (message_id);

CREATE TABLE mailbox_checkpoints (
	brand TEXT NOT NULL,
	folder TEXT NOT NULL,
	uid_validity BIGINT NOT NULL,
	last_uid BIGINT NOT NULL,
	updated_at {{time}} NOT NULL,
	PRIMARY KEY (brand, folder)
);

CREATE TABLE quarantine (
	id {{pk}},
	brand TEXT NOT NULL,
	folder TEXT NOT NULL,
	uid_validity BIGINT NOT NULL,
	uid BIGINT NOT NULL,
	reason TEXT NOT NULL,
	raw_id BIGINT REFERENCES raw_messages (id),
	created_at {{time}} NOT NULL
);
CREATE UNIQUE INDEX quarantine_uid ON quarantine (brand, folder, uid_validity, uid);

CREATE TABLE leases (
	name TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	expires_at {{time}} NOT NULL
);
`

const schemaV2 = `
CREATE TABLE outbox (
	id {{pk}},
	brand TEXT NOT NULL,
	ticket_id BIGINT REFERENCES tickets (id),
	message_row_id BIGINT REFERENCES messages (id),
	kind TEXT NOT NULL,
	automatic {{bool}} NOT NULL DEFAULT FALSE,
	mail_from TEXT NOT NULL,
	rcpt TEXT NOT NULL,
	message_id TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	raw_id BIGINT REFERENCES raw_messages (id),
	status TEXT NOT NULL,
	attempts BIGINT NOT NULL DEFAULT 0,
	next_attempt_at {{time}} NOT NULL,
	claimed_by TEXT NOT NULL DEFAULT '',
	claimed_until {{time}},
	last_error TEXT NOT NULL DEFAULT '',
	server_reply TEXT NOT NULL DEFAULT '',
	sent_at {{time}},
	created_at {{time}} NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_rcpt ON outbox (rcpt, created_at);
CREATE INDEX outbox_ticket ON outbox (ticket_id);
CREATE UNIQUE INDEX outbox_message_id ON outbox (message_id);
`

const schemaV3 = `
CREATE TABLE classification_corrections (
	id {{pk}},
	ticket_id BIGINT NOT NULL REFERENCES tickets (id),
	message_row_id BIGINT REFERENCES messages (id),
	old_category TEXT NOT NULL,
	old_rights_type TEXT NOT NULL,
	category TEXT NOT NULL,
	rights_type TEXT NOT NULL,
	agent TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL
);
CREATE INDEX corrections_ticket ON classification_corrections (ticket_id);
`

// Migrate brings the schema up to the newest version. Each migration runs
// in its own transaction together with its schema_migrations row, so a
// crash leaves the database at a whole version.
func (s *Store) Migrate(ctx context.Context) (applied []int, err error) {
	db := s.db.WithContext(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at ` + s.word("{{time}}") + ` NOT NULL)`).Error; err != nil {
		return nil, fmt.Errorf("creating schema_migrations: %w", err)
	}
	for _, m := range migrations() {
		err := db.Transaction(func(tx *gorm.DB) error {
			if s.driver == "postgres" {
				// Two instances starting together must not both migrate.
				if err := tx.Exec(`SELECT pg_advisory_xact_lock(7226115)`).Error; err != nil {
					return err
				}
			}
			var n int64
			if err := tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range strings.Split(s.word(m.sql), ";") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				stmt = strings.ReplaceAll(stmt, "{{semicolon}}", ";") // a semicolon inside a trigger body
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%s: %w", strings.TrimSpace(stmt)[:min(60, len(strings.TrimSpace(stmt)))], err)
				}
			}
			applied = append(applied, m.version)
			return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, time.Now().UTC()).Error
		})
		if err != nil {
			return applied, fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return applied, nil
}

// SchemaVersion returns the newest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v *int
	err := s.db.WithContext(ctx).Raw(`SELECT MAX(version) FROM schema_migrations`).Scan(&v).Error
	if err != nil || v == nil {
		return 0, err
	}
	return *v, nil
}

func (s *Store) word(sql string) string { return dialect(s.driver).Replace(sql) }
