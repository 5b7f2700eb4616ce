package tickets

import (
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// On PostgreSQL every statement is a round trip to the server, and the
// ingest writer waits for each before it sends the next (database/sql
// cannot pipeline). A new ticket cost ten. Where one insert needs only the
// id of the one before it, PostgreSQL can do both in one statement with
// data-modifying CTEs: a raw message and the row that points at it; the
// acknowledgement's raw mail, its message row and its outbox row; a
// customer looked up or created. SQLite has no round trips to save (its
// execs are function calls) and keeps the plain statements.
//
// The column lists repeat those of insertMessageSQL and insertOutboxSQL;
// TestMergedInsertsMatchPlainOnes keeps them in step.

// mergeRawPG reports whether raw can go into the same statement as the
// row that points at it: on PostgreSQL, unless it is stored in chunks.
func (s *Service) mergeRawPG(raw []byte) bool {
	return s.store.driver == "postgres" && len(raw) <= rawChunkSize
}

// mergedMessageCTE stores a raw message (r) and the message row pointing
// at it (m); the statements below add what they return or insert next.
const mergedMessageCTE = `WITH r AS (INSERT INTO raw_messages (data) VALUES (?) RETURNING id),
	m AS (INSERT INTO messages (brand, ticket_id, direction, message_id, dedupe_key, content_key,
	from_email, from_name, to_addrs, cc_addrs, subject, date, in_reply_to, refs, text, new_text, quoted, signature,
	html, automated, automated_reasons, parse_errors, size, content_hash, raw_id, folder, uid_validity, uid,
	category, rights_type, language, confidence, reasons, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM r), ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT DO NOTHING RETURNING id)`

const insertMessageWithRawPG = mergedMessageCTE + `
	SELECT (SELECT id FROM m), (SELECT id FROM r)`

// messageArgs are the values of insertMessageSQL's columns, without raw_id
// when withRawID is false (the merged statements take it from their CTE).
func messageArgs(m *Message, withRawID bool) []any {
	args := []any{m.Brand, m.TicketID, m.Direction, m.MessageID, m.DedupeKey, m.ContentKey,
		m.FromEmail, m.FromName, m.ToAddrs, m.CcAddrs, m.Subject, m.Date, m.InReplyTo, m.Refs, m.Text, m.NewText,
		m.Quoted, m.Signature, m.HTML, m.Automated, m.AutomatedReasons, m.ParseErrors, m.Size, m.ContentHash}
	if withRawID {
		args = append(args, m.RawID)
	}
	return append(args, m.Folder, m.UIDValidity, m.UID, m.Category, m.RightsType, m.Language, m.Confidence, m.Reasons,
		m.CreatedAt)
}

// insertMessageWithRaw stores raw and m in one statement (PostgreSQL) and
// sets m.ID and m.RawID. When a message with the same dedupe key exists,
// inserted is false and m.RawID names the raw row stored for nothing,
// which the caller deletes.
func (s *Service) insertMessageWithRaw(tx *gorm.DB, m *Message, raw []byte) (inserted bool, err error) {
	var id sql.NullInt64
	var rawID int64
	args := append([]any{raw}, messageArgs(m, false)...)
	if err := queryRow(tx, s.store.driver, insertMessageWithRawPG, []any{&id, &rawID}, args...); err != nil {
		return false, fmt.Errorf("storing message: %w", err)
	}
	m.ID, m.RawID = id.Int64, &rawID
	return id.Valid, nil
}

const queueWithRawPG = mergedMessageCTE + `,
	o AS (INSERT INTO outbox (brand, ticket_id, message_row_id, kind, automatic, mail_from, rcpt,
	message_id, subject, raw_id, status, attempts, next_attempt_at, claimed_by, claimed_until, last_error,
	server_reply, sent_at, created_at)
	VALUES (?, ?, (SELECT id FROM m), ?, ?, ?, ?, ?, ?, (SELECT id FROM r), ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id)
	SELECT (SELECT id FROM r), (SELECT id FROM m), (SELECT id FROM o)`

// queueWithRaw stores an outgoing mail's raw bytes, its message row and its
// outbox row in one statement (PostgreSQL), setting their ids. A message
// row that exists already (the same Message-ID) is an error, as it is on
// the plain path (the outbox row, stored with no message, goes with the
// caller's rollback).
func (s *Service) queueWithRaw(tx *gorm.DB, msg *Message, row *OutboxRow, raw []byte) error {
	var rawID int64
	var msgID, outID sql.NullInt64
	args := append([]any{raw}, messageArgs(msg, false)...)
	args = append(args, row.Brand, row.TicketID, row.Kind, row.Automatic, row.MailFrom, row.Rcpt, row.MessageID,
		row.Subject, row.Status, row.Attempts, row.NextAttemptAt, row.ClaimedBy, row.ClaimedUntil, row.LastError,
		row.ServerReply, row.SentAt, row.CreatedAt)
	if err := queryRow(tx, s.store.driver, queueWithRawPG, []any{&rawID, &msgID, &outID}, args...); err != nil {
		return fmt.Errorf("queueing %s mail: %w", row.Kind, err)
	}
	if !msgID.Valid || !outID.Valid {
		return fmt.Errorf("storing outgoing message %s: a message with this Message-ID exists", row.MessageID)
	}
	msg.ID, msg.RawID = msgID.Int64, &rawID
	row.ID, row.RawID, row.MessageRowID = outID.Int64, &rawID, &msg.ID
	return nil
}

// upsertCustomerPG finds or creates a customer in one statement.
const upsertCustomerPG = `WITH ins AS (INSERT INTO customers (brand, email, name, language, source, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (brand, email) DO NOTHING RETURNING id, name, language)
	SELECT id, name, language, true FROM ins
	UNION ALL
	SELECT id, name, language, false FROM customers WHERE brand = ? AND email = ? AND NOT EXISTS (SELECT 1 FROM ins)`

// upsertCustomerMerged runs upsertCustomerPG for c. created says the row
// is new; otherwise c's id, name and language are the stored ones. found
// is false only when a concurrent transaction created the customer after
// this statement's snapshot; the caller then looks it up again.
func (s *Service) upsertCustomerMerged(tx *gorm.DB, c *Customer) (created, found bool, err error) {
	err = queryRow(tx, s.store.driver, upsertCustomerPG, []any{&c.ID, &c.Name, &c.Language, &created},
		c.Brand, c.Email, c.Name, c.Language, c.Source, c.CreatedAt, c.UpdatedAt, c.Brand, c.Email)
	if err == sql.ErrNoRows {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("finding or creating customer: %w", err)
	}
	return created, true, nil
}
