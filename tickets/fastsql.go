package tickets

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// The ingest writer stores a few thousand messages a second, each with a
// dozen statements. Through gorm every statement costs reflection and, on
// SQLite, a fresh sqlite3_prepare. The hot statements therefore go through
// plain database/sql here, prepared once per transaction and reused for
// the whole batch. Everything else stays on gorm.

type stmtCacheKey struct{}

// stmtCache holds the statements prepared on one transaction, and the
// ticket numbers that transaction took (see nextTicketNumber).
type stmtCache struct {
	tx      *sql.Tx
	stmts   map[string]*sql.Stmt
	rebind  bool // PostgreSQL wants $1, $2 ... instead of ?
	numbers map[string]*batchNumbers
}

// batchNumbers is one brand's ticket counter inside a transaction: stored
// is the value the counter row holds, last the number handed out last.
type batchNumbers struct{ stored, last int64 }

func stmtCacheOf(tx *gorm.DB) *stmtCache {
	c, _ := tx.Statement.Context.Value(stmtCacheKey{}).(*stmtCache)
	return c
}

// withStmtCache returns tx carrying a statement cache (when tx is a real
// database/sql transaction) and a function that closes the statements.
// A transaction that opens tickets on it must call flushTicketNumbers
// before it commits (see nextTicketNumber).
func withStmtCache(tx *gorm.DB, postgres bool) (*gorm.DB, func()) {
	sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
	if !ok {
		return tx, func() {}
	}
	c := &stmtCache{tx: sqlTx, stmts: map[string]*sql.Stmt{}, rebind: postgres, numbers: map[string]*batchNumbers{}}
	ctx := context.WithValue(tx.Statement.Context, stmtCacheKey{}, c)
	return tx.WithContext(ctx), func() {
		for _, st := range c.stmts {
			st.Close()
		}
	}
}

func rebind(q string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// stmt returns the cached prepared statement for q, or nil when tx has no
// cache (then callers fall back to the connection pool).
func stmtFor(tx *gorm.DB, q string) (*sql.Stmt, error) {
	c := stmtCacheOf(tx)
	if c == nil {
		return nil, nil
	}
	if st := c.stmts[q]; st != nil {
		return st, nil
	}
	text := q
	if c.rebind {
		text = rebind(q)
	}
	st, err := c.tx.PrepareContext(tx.Statement.Context, text)
	if err != nil {
		return nil, fmt.Errorf("preparing %q: %w", q[:min(40, len(q))], err)
	}
	c.stmts[q] = st
	return st, nil
}

// queryRow runs a one-row query on tx (prepared and cached when possible).
func queryRow(tx *gorm.DB, driver, q string, dest []any, args ...any) error {
	st, err := stmtFor(tx, q)
	if err != nil {
		return err
	}
	if st != nil {
		return st.QueryRowContext(tx.Statement.Context, args...).Scan(dest...)
	}
	if driver == "postgres" {
		q = rebind(q)
	}
	return tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context, q, args...).Scan(dest...)
}

// insertID runs q, an INSERT ending in "RETURNING id", on tx and returns
// the new row's id; inserted is false when an ON CONFLICT DO NOTHING
// clause skipped the row. On SQLite the RETURNING clause is dropped and the
// id read from the result: a statement that returns rows costs database/sql
// a context and a goroutine watching it, an exec costs neither, and the
// ingest writer inserts half a dozen rows per message.
func insertID(tx *gorm.DB, driver, q string, args ...any) (id int64, inserted bool, err error) {
	if driver == "postgres" {
		err = queryRow(tx, driver, q, []any{&id}, args...)
		if err == sql.ErrNoRows {
			return 0, false, nil
		}
		return id, err == nil, err
	}
	plain, ok := strings.CutSuffix(q, " RETURNING id")
	if !ok {
		return 0, false, fmt.Errorf("insertID: %q does not end in RETURNING id", q[:min(40, len(q))])
	}
	res, err := execResult(tx, driver, plain, args...)
	if err != nil {
		return 0, false, err
	}
	// Rows affected first: after a skipped insert the last insert id is
	// still that of an earlier statement.
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, false, err
	}
	id, err = res.LastInsertId()
	return id, err == nil, err
}

// execSQL runs a statement on tx (prepared and cached when possible).
func execSQL(tx *gorm.DB, driver, q string, args ...any) error {
	_, err := execResult(tx, driver, q, args...)
	return err
}

// execResult runs a statement on tx (prepared and cached when possible)
// and returns its result.
func execResult(tx *gorm.DB, driver, q string, args ...any) (sql.Result, error) {
	st, err := stmtFor(tx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.ExecContext(tx.Statement.Context, args...)
	}
	if driver == "postgres" {
		q = rebind(q)
	}
	return tx.Statement.ConnPool.ExecContext(tx.Statement.Context, q, args...)
}

const insertMessageSQL = `INSERT INTO messages (brand, ticket_id, direction, message_id, dedupe_key, content_key,
	from_email, from_name, to_addrs, cc_addrs, subject, date, in_reply_to, refs, text, new_text, quoted, signature,
	html, automated, automated_reasons, parse_errors, size, content_hash, raw_id, folder, uid_validity, uid,
	category, rights_type, language, confidence, reasons, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING RETURNING id`

// insertMessage stores m and sets its ID. It reports false (and no error)
// when a message with the same dedupe key exists already.
func (s *Service) insertMessage(tx *gorm.DB, m *Message) (bool, error) {
	id, inserted, err := insertID(tx, s.store.driver, insertMessageSQL, messageArgs(m, true)...)
	if err != nil {
		return false, fmt.Errorf("storing message: %w", err)
	}
	m.ID = id
	return inserted, nil
}

const insertTicketSQL = `INSERT INTO tickets (brand, number, ref, customer_id, subject, category, rights_type, language,
	automated, status, priority, confidence, reasons, created_at, updated_at, sla_started_at, first_response_due,
	first_response_at, resolution_due, resolved_at, paused_at, paused_open_ns, paused_wall_ns,
	first_response_warned, first_response_breached, warned, breached)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

func (s *Service) insertTicket(tx *gorm.DB, t *Ticket) error {
	var err error
	t.ID, _, err = insertID(tx, s.store.driver, insertTicketSQL,
		t.Brand, t.Number, t.Ref, t.CustomerID, t.Subject, t.Category, t.RightsType, t.Language,
		t.Automated, t.Status, t.Priority, t.Confidence, t.Reasons, t.CreatedAt, t.UpdatedAt, t.SLAStartedAt,
		t.FirstResponseDue, t.FirstResponseAt, t.ResolutionDue, t.ResolvedAt, t.PausedAt, t.PausedOpenNs,
		t.PausedWallNs, t.FirstResponseWarned, t.FirstResponseBreached, t.Warned, t.Breached)
	if err != nil {
		return fmt.Errorf("creating ticket: %w", err)
	}
	return nil
}

const insertOutboxSQL = `INSERT INTO outbox (brand, ticket_id, message_row_id, kind, automatic, mail_from, rcpt,
	message_id, subject, raw_id, status, attempts, next_attempt_at, claimed_by, claimed_until, last_error,
	server_reply, sent_at, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

func (s *Service) insertOutbox(tx *gorm.DB, r *OutboxRow) error {
	var err error
	r.ID, _, err = insertID(tx, s.store.driver, insertOutboxSQL,
		r.Brand, r.TicketID, r.MessageRowID, r.Kind, r.Automatic, r.MailFrom, r.Rcpt, r.MessageID, r.Subject,
		r.RawID, r.Status, r.Attempts, r.NextAttemptAt, r.ClaimedBy, r.ClaimedUntil, r.LastError, r.ServerReply,
		r.SentAt, r.CreatedAt)
	if err != nil {
		return fmt.Errorf("queueing %s mail: %w", r.Kind, err)
	}
	return nil
}
