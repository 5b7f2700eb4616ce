package tickets

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"helpdesk/config"
	"helpdesk/mailbox"
)

type batchStats struct {
	Stored, Duplicates, Quarantined, NewTickets int
}

// batchPageCache is the SQLite page cache (in KiB, SQLite's negative form)
// of the connection that stores an ingest batch. A batch writes tens of MB
// (raw message, decoded text, acknowledgement); with the default 2 MB
// cache the writer keeps evicting and re-reading the b-tree pages it is
// appending to, through the WAL index. Measured with BenchmarkIngest, 4,000
// messages from Dovecot: 650-880 -> 1,060-1,320 msgs/s, 1,700-2,280 ->
// 1,260-1,620 cpu-us/msg. The size is restored when the batch ends, so the
// memory is held only while a batch is being written.
const batchPageCache = -32768

// hasChunkedRaw says whether a batch holds a message stored in chunks. Its
// batch keeps SQLite's default cache: the wide one speeds up the b-tree
// work of many small messages, while a large one is a run of overflow
// pages that a cache would only fill with another copy of it.
func hasChunkedRaw(items []*fetched) bool {
	for _, f := range items {
		if len(f.raw) > rawChunkSize {
			return true
		}
	}
	return false
}

// widenPageCache gives tx's connection batchPageCache and returns a
// function that puts the previous size back.
func widenPageCache(tx *gorm.DB) (func(), error) {
	var prev int64
	if err := tx.Raw("PRAGMA cache_size").Scan(&prev).Error; err != nil {
		return nil, fmt.Errorf("reading sqlite cache size: %w", err)
	}
	if err := tx.Exec("PRAGMA cache_size = " + strconv.Itoa(batchPageCache)).Error; err != nil {
		return nil, fmt.Errorf("setting sqlite cache size: %w", err)
	}
	return func() { tx.Exec("PRAGMA cache_size = " + strconv.FormatInt(prev, 10)) }, nil
}

// storeBatch stores a parsed batch and advances the checkpoint to its last
// UID in the same transaction. If the batch as a whole fails (one message
// the database refuses, say), it is retried one message per transaction,
// and a message that still fails is quarantined with its raw bytes, so one
// bad message never blocks the rest.
func (s *Service) storeBatch(ctx context.Context, brand *config.Brand, folder string, validity uint32, items []*fetched) (batchStats, error) {
	var st batchStats
	last := items[len(items)-1].uid
	db := s.store.db.WithContext(ctx)
	err := db.Transaction(func(tx *gorm.DB) error {
		tx, closeStmts := withStmtCache(tx, s.store.driver == "postgres")
		defer closeStmts()
		if s.store.driver == "sqlite" && !hasChunkedRaw(items) {
			restore, err := widenPageCache(tx)
			if err != nil {
				return err
			}
			defer restore()
		}
		st = batchStats{}
		for _, f := range items {
			if err := s.storeOne(tx, brand, folder, validity, f, &st); err != nil {
				return fmt.Errorf("storing uid %d: %w", f.uid, err)
			}
		}
		if err := s.flushTicketNumbers(tx); err != nil {
			return err
		}
		return saveCheckpointTx(tx, brand.ID, folder, validity, last)
	})
	if err == nil || ctx.Err() != nil {
		return st, err
	}
	s.log.Warn("batch failed; storing its messages one by one", "brand", brand.ID, "err", err)
	st = batchStats{}
	for _, f := range items {
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := s.storeOne(tx, brand, folder, validity, f, &st); err != nil {
				return err
			}
			return saveCheckpointTx(tx, brand.ID, folder, validity, f.uid)
		})
		if err == nil {
			continue
		}
		s.log.Error("quarantining message the store refused", "brand", brand.ID, "uid", f.uid, "err", err)
		err = db.Transaction(func(tx *gorm.DB) error {
			if err := quarantine(tx, brand.ID, folder, validity, f.uid, "store: "+err.Error(), f.raw); err != nil {
				return err
			}
			return saveCheckpointTx(tx, brand.ID, folder, validity, f.uid)
		})
		if err != nil {
			return st, fmt.Errorf("quarantining uid %d: %w", f.uid, err)
		}
		st.Quarantined++
	}
	return st, nil
}

func (s *Service) storeOne(tx *gorm.DB, brand *config.Brand, folder string, validity uint32, f *fetched, st *batchStats) error {
	if f.fetchErr != nil {
		st.Quarantined++
		s.log.Warn("quarantining message", "brand", brand.ID, "uid", f.uid, "reason", f.fetchErr)
		return quarantine(tx, brand.ID, folder, validity, f.uid, f.fetchErr.Error(), f.raw)
	}
	m := f.parsed
	ck := f.contentKey
	if ck == "" {
		ck = contentKey(m)
	}
	key, dup, err := s.dedupeKey(tx, brand.ID, m.MessageID, ck)
	if err != nil {
		return err
	}
	if dup {
		st.Duplicates++
		return nil
	}
	// On PostgreSQL the raw message goes in with its row, in one statement.
	mergeRaw := s.mergeRawPG(f.raw)
	var rawID int64
	if !mergeRaw {
		if rawID, err = s.insertRaw(tx, f.raw); err != nil {
			return err
		}
	}
	now := f.now
	ticket, err := s.thread(tx, brand, m)
	if err != nil {
		return err
	}
	isNew := false
	var ack *outgoingMail
	switch {
	case ticket == nil && !f.class.Automated:
		isNew = true
		ticket, err = s.openTicket(tx, brand, m, f.class, now)
		if err != nil {
			return err
		}
		st.NewTickets++
		// The acknowledgement renders while the message is stored.
		if ack, err = s.startAck(brand, ticket, m, f.ack, true); err != nil {
			return err
		}
	case ticket != nil && !f.class.Automated:
		if err := s.customerWroteBack(tx, ticket, now); err != nil {
			return err
		}
	}
	row := f.row
	if row == nil {
		row = incomingRow(brand.ID, folder, validity, f, now)
	}
	row.DedupeKey, row.ContentKey, row.CreatedAt = key, ck, now
	if ticket != nil {
		row.TicketID = &ticket.ID
	}
	var inserted bool
	if mergeRaw {
		inserted, err = s.insertMessageWithRaw(tx, row, f.raw)
	} else {
		row.RawID = &rawID
		inserted, err = s.insertMessage(tx, row)
	}
	if err != nil {
		return err
	}
	if !inserted {
		// Another instance stored it between our check and the insert:
		// the ticket opened for it goes too, its number given back.
		st.Duplicates++
		if isNew {
			st.NewTickets--
			if err := s.abandonTicket(tx, ticket); err != nil {
				return err
			}
		}
		return tx.Delete(&RawMessage{}, *row.RawID).Error
	}
	if isNew {
		if _, err := s.queue(tx, ack); err != nil {
			return err
		}
		if err := s.afterTicketOpened(tx, brand, ticket, row, m); err != nil {
			return err
		}
	} else if ticket != nil {
		if err := s.afterThreadedMessage(tx, brand, ticket, row, m); err != nil {
			return err
		}
	}
	if len(m.BouncedMessageIDs) > 0 {
		if err := s.recordBounces(tx, brand.ID, m.BouncedMessageIDs); err != nil {
			return err
		}
	}
	for _, a := range m.Attachments {
		att := Attachment{MessageID: row.ID, Filename: clean(a.Filename), ContentType: clean(a.ContentType),
			ContentID: clean(a.ContentID), Inline: a.Inline, Size: a.Size}
		if a.Size <= maxSeparateAttachment {
			att.Data = a.Content
		}
		if err := tx.Create(&att).Error; err != nil {
			return fmt.Errorf("storing attachment %q: %w", a.Filename, err)
		}
	}
	st.Stored++
	return nil
}

// incomingRow builds the messages row of an incoming message, all but its
// keys and ids. Parse workers call it, off the writer's critical path.
func incomingRow(brand, folder string, validity uint32, f *fetched, now time.Time) *Message {
	m := f.parsed
	text, quoted, signature := clean(m.Text), clean(m.Quoted), clean(m.Signature)
	row := &Message{
		Brand: brand, Direction: DirectionIn, MessageID: clean(m.MessageID),
		FromEmail: mailbox.NormalizeEmail(m.From.Email), FromName: clean(m.From.Name),
		ToAddrs: jsonString(m.To), CcAddrs: jsonString(m.Cc), Subject: clean(m.Subject),
		InReplyTo: clean(strings.Join(m.InReplyTo, " ")), Refs: clean(strings.Join(m.References, " ")),
		Text: text, NewText: storedNewText(text, m.NewText, quoted, signature), Quoted: quoted, Signature: signature,
		Automated: f.class.Automated, AutomatedReasons: jsonString(m.AutomatedReasons),
		ParseErrors: jsonString(m.ParseErrors), Size: m.Size, ContentHash: m.ContentHash,
		Folder: folder, UIDValidity: int64(validity), UID: int64(f.uid),
		Category: f.class.Category, RightsType: f.class.RightsType, Language: f.class.Language,
		Confidence: f.class.Confidence, Reasons: jsonString(f.class.Reasons), CreatedAt: now,
	}
	if !m.Date.IsZero() {
		d := m.Date.UTC()
		row.Date = &d
	}
	return row
}

// maxSeparateAttachment is the largest attachment also stored decoded in
// its own row. A larger one lives only in the raw message it came in (which
// is always kept), and AttachmentContent decodes it from there when asked:
// holding a 25 MB attachment twice, in memory and in the database, would
// double the cost of the one message that costs the most.
const maxSeparateAttachment = 1 << 20

// AttachmentContent returns an attachment's decoded bytes, from its row or,
// for a large one, from the raw message it came in.
func (s *Service) AttachmentContent(tx *gorm.DB, a *Attachment) ([]byte, error) {
	if a.Data != nil || a.Size == 0 {
		return a.Data, nil
	}
	var msg Message
	if err := tx.Select("id, raw_id").First(&msg, a.MessageID).Error; err != nil {
		return nil, fmt.Errorf("loading the message of attachment %d: %w", a.ID, err)
	}
	if msg.RawID == nil {
		return nil, fmt.Errorf("attachment %d: the raw message is gone", a.ID)
	}
	raw, err := loadRaw(tx, *msg.RawID)
	if err != nil {
		return nil, err
	}
	parsed := mailbox.Parse(raw, mailbox.ParseOptions{})
	for _, pa := range parsed.Attachments {
		if pa.Size == a.Size && clean(pa.Filename) == a.Filename && clean(pa.ContentType) == a.ContentType {
			return pa.Content, nil
		}
	}
	return nil, fmt.Errorf("attachment %d (%q) not found in its raw message", a.ID, a.Filename)
}

// recordBounces marks our mail that a delivery-status report says was not
// delivered: outbox rows (shown on their ticket) and notice recipients.
func (s *Service) recordBounces(tx *gorm.DB, brand string, ids []string) error {
	if err := tx.Model(&OutboxRow{}).Where("brand = ? AND message_id IN ? AND status = ?", brand, ids, OutboxSent).
		Updates(map[string]any{"status": OutboxFailed, "last_error": "bounced: the recipient's server reported non-delivery"}).Error; err != nil {
		return fmt.Errorf("recording bounce: %w", err)
	}
	return s.noticeBounced(tx, brand, ids)
}

// storedNewText is "" when the new text can be derived from the text:
// mail that quotes nothing and has no signature, which is most mail, has
// the trimmed text as its new text, and keeping both would store the
// largest column twice. Message.FullNewText derives it back. The HTML part
// is not stored as a column at all: it is in the raw message, and a
// console re-parses and sanitizes it when someone wants to see it.
//
// text, quoted and signature come cleaned (see clean), as they are stored.
// The raw new text is compared before it is cleaned: when it equals the
// trimmed clean text it is clean itself, and validating 10-20 KB of UTF-8
// twice was most of what building a row cost (BenchmarkIncomingRow). A
// new text that needed cleaning is stored, derivable or not.
func storedNewText(text, newText, quoted, signature string) string {
	if quoted == "" && signature == "" && newText == mailbox.TrimBlankLines(text) {
		return ""
	}
	return clean(newText)
}

// contentKey identifies a message by what its author wrote, so the same
// mail delivered twice (or refetched after a UIDVALIDITY change) matches
// even when transport headers differ.
func contentKey(m *mailbox.Message) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s", strings.ToLower(m.From.Email), m.Date.Unix(), m.Subject, m.Text)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// dedupeKey decides the unique key for a message. The Message-ID is the
// key unless it is missing or was reused by another, different message;
// then the content key is.
func (s *Service) dedupeKey(tx *gorm.DB, brand, messageID, ck string) (key string, dup bool, err error) {
	if messageID != "" {
		// One lookup answers both questions the writer asks of every
		// message: is this Message-ID taken (a row, so not NULL), and is
		// one of its holders this very message (1)?
		var same sql.NullInt64
		err := queryRow(tx, s.store.driver,
			`SELECT MAX(CASE WHEN content_key = ? THEN 1 ELSE 0 END) FROM messages WHERE brand = ? AND message_id = ?`,
			[]any{&same}, ck, brand, messageID)
		if err != nil {
			return "", false, fmt.Errorf("dedupe lookup: %w", err)
		}
		if !same.Valid {
			return "mid:" + messageID, false, nil
		}
		if same.Int64 == 1 {
			return "", true, nil
		}
	}
	key = "hash:" + ck
	var one int
	err = queryRow(tx, s.store.driver, `SELECT 1 FROM messages WHERE brand = ? AND dedupe_key = ? LIMIT 1`, []any{&one}, brand, key)
	if err == sql.ErrNoRows {
		return key, false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("dedupe lookup: %w", err)
	}
	return key, true, nil
}

var refTagPattern = regexp.MustCompile(`\[([A-Z][A-Z0-9]{0,7})-([0-9]{1,12})\]`)

// thread finds the ticket a message belongs to: first by In-Reply-To and
// References (and, for a bounce, the Message-IDs it reports) against every
// message we stored or sent; then by a [REF] tag in the subject, but only
// when the sender is the ticket's customer or already on its thread, so a
// stranger quoting a tag cannot join someone else's ticket.
func (s *Service) thread(tx *gorm.DB, brand *config.Brand, m *mailbox.Message) (*Ticket, error) {
	ids := make([]string, 0, len(m.InReplyTo)+len(m.References)+len(m.BouncedMessageIDs))
	ids = append(ids, m.InReplyTo...)
	ids = append(ids, m.References...)
	ids = append(ids, m.BouncedMessageIDs...)
	if len(ids) > 0 {
		var ticketIDs []int64
		if err := tx.Model(&Message{}).Where("brand = ? AND message_id IN ? AND ticket_id IS NOT NULL", brand.ID, ids).
			Order("id DESC").Limit(1).Pluck("ticket_id", &ticketIDs).Error; err != nil {
			return nil, fmt.Errorf("threading by references: %w", err)
		}
		if len(ticketIDs) > 0 {
			return s.ticketByID(tx, ticketIDs[0])
		}
		if t, err := s.noticeThread(tx, brand, ids); err != nil || t != nil {
			return t, err
		}
	}
	for _, match := range refTagPattern.FindAllStringSubmatch(m.Subject, -1) {
		if match[1] != brand.TicketPrefix {
			continue
		}
		var t Ticket
		err := tx.Preload("Customer").Where("ref = ? AND brand = ?", match[1]+"-"+match[2], brand.ID).First(&t).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("threading by subject tag: %w", err)
		}
		from := mailbox.NormalizeEmail(m.From.Email)
		if t.Customer != nil && strings.EqualFold(t.Customer.Email, from) {
			return &t, nil
		}
		on, err := onThread(tx, t.ID, from)
		if err != nil {
			return nil, err
		}
		if on {
			return &t, nil
		}
		s.log.Info("subject tag from a stranger opens a new ticket", "tag", match[0], "from", from)
	}
	return nil, nil
}

// onThread reports whether email sent, or was addressed by, any message of
// the ticket.
func onThread(tx *gorm.DB, ticketID int64, email string) (bool, error) {
	if email == "" {
		return false, nil
	}
	needle := "%" + strings.Trim(jsonString(email), `"`) + "%"
	var n int64
	err := tx.Model(&Message{}).Where("ticket_id = ? AND (from_email = ? OR LOWER(to_addrs) LIKE ? OR LOWER(cc_addrs) LIKE ?)",
		ticketID, email, needle, needle).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("checking thread participants: %w", err)
	}
	return n > 0, nil
}

func (s *Service) ticketByID(tx *gorm.DB, id int64) (*Ticket, error) {
	var t Ticket
	if err := tx.First(&t, id).Error; err != nil {
		return nil, fmt.Errorf("loading ticket %d: %w", id, err)
	}
	return &t, nil
}

// openTicket creates the customer (if new) and a ticket for a new
// conversation.
func (s *Service) openTicket(tx *gorm.DB, brand *config.Brand, m *mailbox.Message, c Classification, now time.Time) (*Ticket, error) {
	cust, err := s.upsertCustomer(tx, brand.ID, m.From, c.Language, now)
	if err != nil {
		return nil, err
	}
	num, err := s.nextTicketNumber(tx, brand.ID)
	if err != nil {
		return nil, err
	}
	t := &Ticket{
		Brand: brand.ID, Number: num, Ref: brand.TicketPrefix + "-" + strconv.FormatInt(num, 10),
		CustomerID: cust.ID, Subject: clean(m.Subject), Category: c.Category, RightsType: c.RightsType,
		Language: c.Language, Automated: c.Automated, Status: StatusOpen, Priority: "normal",
		Confidence: c.Confidence, Reasons: jsonString(c.Reasons), CreatedAt: now, UpdatedAt: now,
		Customer: cust,
	}
	verify, err := s.verificationNeeded(tx, brand, t, cust, m)
	if err != nil {
		return nil, err
	}
	if verify {
		t.Status = StatusAwaitingVerification
	}
	if err := s.applyPolicy(t, brand, now); err != nil {
		return nil, err
	}
	if err := s.insertTicket(tx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// customerWroteBack reopens a ticket waiting on the customer.
func (s *Service) customerWroteBack(tx *gorm.DB, t *Ticket, now time.Time) error {
	if t.Status != StatusPending && t.Status != StatusResolved && t.Status != StatusClosed {
		return nil
	}
	s.resumeClock(t, now)
	t.Status = StatusOpen
	t.ResolvedAt = nil
	t.UpdatedAt = now
	return saveSLA(tx, t)
}

func (s *Service) upsertCustomer(tx *gorm.DB, brand string, from mailbox.Address, lang string, now time.Time) (*Customer, error) {
	email := mailbox.NormalizeEmail(from.Email)
	if s.store.driver == "postgres" {
		c := Customer{Brand: brand, Email: email, Name: clean(from.Name), Language: lang, Source: "mail", CreatedAt: now, UpdatedAt: now}
		created, found, err := s.upsertCustomerMerged(tx, &c)
		if err != nil || created {
			return &c, err
		}
		if found {
			// What the lookup below returns: the stored id, name, language.
			known := Customer{ID: c.ID, Brand: brand, Email: email, Name: c.Name, Language: c.Language}
			return s.nameCustomer(tx, &known, from.Name)
		}
	}
	c := Customer{Brand: brand, Email: email}
	err := queryRow(tx, s.store.driver, `SELECT id, name, language FROM customers WHERE brand = ? AND email = ?`,
		[]any{&c.ID, &c.Name, &c.Language}, brand, email)
	if err == nil {
		return s.nameCustomer(tx, &c, from.Name)
	}
	if err != sql.ErrNoRows {
		return nil, fmt.Errorf("loading customer: %w", err)
	}
	c = Customer{Brand: brand, Email: email, Name: clean(from.Name), Language: lang, Source: "mail", CreatedAt: now, UpdatedAt: now}
	c.ID, _, err = insertID(tx, s.store.driver, `INSERT INTO customers (brand, email, name, language, source, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, brand, email, c.Name, lang, c.Source, now, now)
	if err != nil {
		return nil, fmt.Errorf("creating customer: %w", err)
	}
	return &c, nil
}

// nameCustomer gives a known customer without a name the one their mail
// carries.
func (s *Service) nameCustomer(tx *gorm.DB, c *Customer, name string) (*Customer, error) {
	if c.Name != "" || name == "" {
		return c, nil
	}
	c.Name = clean(name)
	return c, execSQL(tx, s.store.driver, `UPDATE customers SET name = ? WHERE id = ?`, c.Name, c.ID)
}

func quarantine(tx *gorm.DB, brand, folder string, validity, uid uint32, reason string, raw []byte) error {
	q := Quarantine{Brand: brand, Folder: folder, UIDValidity: int64(validity), UID: int64(uid), Reason: clean(reason), CreatedAt: time.Now().UTC()}
	if raw != nil {
		id, err := insertRawData(tx, tx.Dialector.Name(), raw)
		if err != nil {
			return fmt.Errorf("storing quarantined raw: %w", err)
		}
		q.RawID = &id
	}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&q).Error
}

func (s *Service) checkpoint(ctx context.Context, brand, folder string) (Checkpoint, error) {
	var cp Checkpoint
	err := s.store.db.WithContext(ctx).Where("brand = ? AND folder = ?", brand, folder).Limit(1).Find(&cp).Error
	if err != nil {
		return cp, fmt.Errorf("loading checkpoint: %w", err)
	}
	return cp, nil
}

func (s *Service) saveCheckpoint(ctx context.Context, brand, folder string, validity, last uint32) error {
	return saveCheckpointTx(s.store.db.WithContext(ctx), brand, folder, validity, last)
}

func saveCheckpointTx(tx *gorm.DB, brand, folder string, validity, last uint32) error {
	cp := Checkpoint{Brand: brand, Folder: folder, UIDValidity: int64(validity), LastUID: int64(last), UpdatedAt: time.Now().UTC()}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "brand"}, {Name: "folder"}},
		DoUpdates: clause.AssignmentColumns([]string{"uid_validity", "last_uid", "updated_at"}),
	}).Create(&cp).Error
	if err != nil {
		return fmt.Errorf("saving checkpoint: %w", err)
	}
	return nil
}

// clean makes a string storable everywhere: PostgreSQL refuses NUL bytes
// and invalid UTF-8 in text columns.
func clean(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s // the parser's output nearly always is: no copy
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "null"
	}
	return clean(string(b))
}
