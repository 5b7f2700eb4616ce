package tickets

import (
	"context"
	"fmt"
	"os"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"helpdesk/config"
	"helpdesk/mailbox"
)

// Erasure (issue 6, item 4). For each brand (or the one named) the
// customer's tickets are deleted with everything hanging off them:
// messages, raw mail, attachments, outbox rows, corrections,
// verification codes, consent rows, notice recipients, and the customer
// record. Tickets in a category the brand's legal_hold names are kept,
// anonymized: the person's address and name are replaced by "[erased]" in
// every column, their raw mail and any attachment containing them are
// deleted, and the ticket moves to the brand's "(erased)" placeholder
// customer. Mail elsewhere that names the address (someone else's ticket
// it was copied on, a quarantined message) is scrubbed or deleted. The
// erasure list and the audit entry keep only a keyed hash of the address.
// On SQLite, secure_delete zeroes freed space and the WAL is checkpointed
// and truncated afterwards, so the bytes are gone from the files; on
// PostgreSQL the rows are deleted and dead tuples remain until VACUUM.

// ErasureReport says what an erasure did, per brand.
type ErasureReport struct {
	Brands []BrandErasure `json:"brands"`
}

// BrandErasure is the erasure in one brand.
type BrandErasure struct {
	Brand      string           `json:"brand"`
	Customer   bool             `json:"customer_found"`
	Deleted    map[string]int64 `json:"deleted"`
	Anonymized map[string]int64 `json:"anonymized"`
	Kept       []KeptRecord     `json:"kept"`
}

// KeptRecord is a ticket kept (anonymized) under legal retention.
type KeptRecord struct {
	Ticket   string `json:"ticket"`
	Category string `json:"category"`
	Reason   string `json:"reason"`
}

// EraseCustomer erases email from brand, or from every brand when brand
// is "". actor is recorded in the audit log.
func (s *Service) EraseCustomer(ctx context.Context, email, brand, actor string) (*ErasureReport, error) {
	email = mailbox.NormalizeEmail(email)
	if !strings.Contains(email, "@") {
		return nil, fmt.Errorf("%w: %q is not an email address", ErrInvalid, email)
	}
	var brands []*config.Brand
	for i := range s.cfg.Brands {
		if brand == "" || s.cfg.Brands[i].ID == brand {
			brands = append(brands, &s.cfg.Brands[i])
		}
	}
	if len(brands) == 0 {
		return nil, fmt.Errorf("%w: unknown brand %q", ErrInvalid, brand)
	}
	rep := &ErasureReport{}
	corrections := int64(0)
	for _, b := range brands {
		var be *BrandErasure
		err := s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var err error
			be, err = s.eraseInBrand(tx, b, email, actor)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("erasing from brand %s: %w", b.ID, err)
		}
		corrections += be.Deleted["classification_corrections"] + be.Anonymized["classification_corrections"]
		rep.Brands = append(rep.Brands, *be)
	}
	if err := s.store.compact(ctx); err != nil {
		return rep, fmt.Errorf("erased, but the WAL could not be truncated (run again when the daemon is idle): %w", err)
	}
	// A trained classifier learned from corrections' text: retrain it so
	// the erased person's words leave the model in data_dir too.
	if _, err := os.Stat(ModelPath(s.cfg.DataDir)); err == nil && corrections > 0 {
		if _, _, err := s.TrainCorrections(ctx); err != nil {
			return rep, fmt.Errorf("erased, but retraining the classifier failed: %w", err)
		}
	}
	return rep, nil
}

func (s *Service) eraseInBrand(tx *gorm.DB, b *config.Brand, email, actor string) (*BrandErasure, error) {
	be := &BrandErasure{Brand: b.ID, Deleted: map[string]int64{}, Anonymized: map[string]int64{}, Kept: []KeptRecord{}}
	var custs []Customer
	if err := tx.Where("brand = ? AND email = ?", b.ID, email).Find(&custs).Error; err != nil {
		return nil, err
	}
	names := []string{}
	var ticketIDs []int64
	for _, c := range custs {
		be.Customer = true
		if c.Name != "" {
			names = append(names, c.Name)
		}
		var ids []int64
		if err := tx.Model(&Ticket{}).Where("customer_id = ?", c.ID).Pluck("id", &ids).Error; err != nil {
			return nil, err
		}
		ticketIDs = append(ticketIDs, ids...)
	}
	var fromNames []string
	if err := tx.Model(&Message{}).Distinct("from_name").Where("brand = ? AND from_email = ? AND from_name <> ''", b.ID, email).
		Pluck("from_name", &fromNames).Error; err != nil {
		return nil, err
	}
	names = append(names, fromNames...)
	red := newRedactor(email, names)

	// Which tickets the law keeps.
	var tickets []Ticket
	if len(ticketIDs) > 0 {
		if err := tx.Where("id IN ?", ticketIDs).Order("id").Find(&tickets).Error; err != nil {
			return nil, err
		}
	}
	var del, keep []int64
	for _, t := range tickets {
		if contains(b.Privacy.LegalHold.Categories, t.Category) {
			keep = append(keep, t.ID)
			reason := b.Privacy.LegalHold.Reason
			if reason == "" {
				reason = "legal retention"
			}
			be.Kept = append(be.Kept, KeptRecord{Ticket: t.Ref, Category: t.Category,
				Reason: fmt.Sprintf("%s (brand legal_hold keeps category %s); anonymized", reason, t.Category)})
		} else {
			del = append(del, t.ID)
		}
	}

	// Outbox rows: of deleted tickets, and anything queued or sent to the
	// address that is not on a kept ticket.
	var outbox []OutboxRow
	q := tx.Where("brand = ? AND rcpt = ?", b.ID, email)
	if len(del) > 0 {
		q = tx.Where("(brand = ? AND rcpt = ?) OR ticket_id IN ?", b.ID, email, del)
	}
	if err := q.Find(&outbox).Error; err != nil {
		return nil, err
	}
	var outboxDel []int64
	var rawDel []int64
	var msgDel []int64
	for _, o := range outbox {
		if o.TicketID != nil && contains64(keep, *o.TicketID) {
			continue
		}
		outboxDel = append(outboxDel, o.ID)
		if o.RawID != nil {
			rawDel = append(rawDel, *o.RawID)
		}
		if o.MessageRowID != nil {
			msgDel = append(msgDel, *o.MessageRowID)
		}
	}
	// Messages: every message of a deleted ticket, and mail from the
	// address on no ticket (their auto-replies, say).
	var ids []int64
	if len(del) > 0 {
		if err := tx.Model(&Message{}).Where("ticket_id IN ?", del).Pluck("id", &ids).Error; err != nil {
			return nil, err
		}
		msgDel = append(msgDel, ids...)
	}
	ids = nil
	if err := tx.Model(&Message{}).Where("brand = ? AND ticket_id IS NULL AND from_email = ?", b.ID, email).Pluck("id", &ids).Error; err != nil {
		return nil, err
	}
	msgDel = uniq64(append(msgDel, ids...))
	if len(msgDel) > 0 {
		var raws []int64
		if err := tx.Model(&Message{}).Where("id IN ? AND raw_id IS NOT NULL", msgDel).Pluck("raw_id", &raws).Error; err != nil {
			return nil, err
		}
		rawDel = append(rawDel, raws...)
	}
	rawDel = uniq64(rawDel)

	n, err := deleteIn(tx, &OutboxRow{}, "id", outboxDel)
	if err != nil {
		return nil, err
	}
	be.Deleted["outbox"] = n
	if be.Deleted["classification_corrections"], err = deleteWhere(tx, &Correction{}, "ticket_id IN ? OR message_row_id IN ?", del, msgDel); err != nil {
		return nil, err
	}
	if be.Deleted["verification_codes"], err = deleteWhere(tx, &VerificationCode{}, "ticket_id IN ?", append(del, keep...)); err != nil {
		return nil, err
	}
	if be.Deleted["attachments"], err = deleteIn(tx, &Attachment{}, "message_id", msgDel); err != nil {
		return nil, err
	}
	if be.Deleted["messages"], err = deleteIn(tx, &Message{}, "id", msgDel); err != nil {
		return nil, err
	}
	if be.Deleted["raw_messages"], err = deleteIn(tx, &RawMessage{}, "id", rawDel); err != nil {
		return nil, err
	}
	if be.Deleted["tickets"], err = deleteIn(tx, &Ticket{}, "id", del); err != nil {
		return nil, err
	}

	// Kept tickets: anonymize in place.
	if len(keep) > 0 {
		ph, err := s.placeholderCustomer(tx, b.ID)
		if err != nil {
			return nil, err
		}
		if err := s.anonymizeTickets(tx, keep, ph.ID, red, be); err != nil {
			return nil, err
		}
	}
	// Mail elsewhere naming the address: someone else's ticket it was
	// copied on, or quoted in. Scrubbed, not deleted: it is not this
	// person's record.
	if err := s.scrubMentions(tx, b.ID, email, red, be); err != nil {
		return nil, err
	}
	if err := s.eraseQuarantine(tx, b.ID, red, be); err != nil {
		return nil, err
	}
	if tx.Migrator().HasTable("notice_recipients") {
		res := tx.Exec(`DELETE FROM notice_recipients WHERE brand = ? AND email = ?`, b.ID, email)
		if res.Error != nil {
			return nil, fmt.Errorf("deleting notice recipients: %w", res.Error)
		}
		be.Deleted["notice_recipients"] = res.RowsAffected
	}
	for _, c := range custs {
		if n, err = deleteWhere(tx, &ConsentRow{}, "customer_id = ?", c.ID); err != nil {
			return nil, err
		}
		be.Deleted["consent"] += n
		if n, err = deleteWhere(tx, &VerificationCode{}, "customer_id = ?", c.ID); err != nil {
			return nil, err
		}
		be.Deleted["verification_codes"] += n
		if err := tx.Delete(&Customer{}, c.ID).Error; err != nil {
			return nil, fmt.Errorf("deleting customer: %w", err)
		}
		be.Deleted["customers"]++
	}
	h, err := s.SubjectHash(email)
	if err != nil {
		return nil, err
	}
	if err := tx.Exec(
		`INSERT INTO erasures (brand, email_hash, erased_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, b.ID, h, s.now().UTC()).Error; err != nil {
		return nil, fmt.Errorf("adding to the erasure list: %w", err)
	}
	kept := make([]string, 0, len(be.Kept))
	for _, k := range be.Kept {
		kept = append(kept, k.Ticket)
	}
	if err := s.audit(tx, actor, "customer.erase", b.ID, email, "", map[string]any{
		"deleted": be.Deleted, "anonymized": be.Anonymized, "kept_tickets": kept}); err != nil {
		return nil, err
	}
	return be, nil
}

// placeholderCustomer is the brand's "(erased)" customer that kept,
// anonymized tickets point to.
func (s *Service) placeholderCustomer(tx *gorm.DB, brand string) (*Customer, error) {
	now := s.now().UTC()
	c := Customer{Brand: brand, Email: "(erased)", Source: "erasure", CreatedAt: now, UpdatedAt: now}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&c).Error; err != nil {
		return nil, fmt.Errorf("creating placeholder customer: %w", err)
	}
	if err := tx.Where("brand = ? AND email = ?", brand, "(erased)").First(&c).Error; err != nil {
		return nil, fmt.Errorf("loading placeholder customer: %w", err)
	}
	return &c, nil
}

func (s *Service) anonymizeTickets(tx *gorm.DB, keep []int64, placeholder int64, red *redactor, be *BrandErasure) error {
	var ts []Ticket
	if err := tx.Where("id IN ?", keep).Find(&ts).Error; err != nil {
		return err
	}
	for _, t := range ts {
		if err := tx.Model(&Ticket{}).Where("id = ?", t.ID).Updates(map[string]any{
			"customer_id": placeholder, "subject": red.str(t.Subject)}).Error; err != nil {
			return fmt.Errorf("anonymizing ticket %s: %w", t.Ref, err)
		}
		be.Anonymized["tickets"]++
	}
	var msgs []Message
	if err := tx.Where("ticket_id IN ?", keep).Find(&msgs).Error; err != nil {
		return err
	}
	var rawDel, msgIDs []int64
	for _, m := range msgs {
		msgIDs = append(msgIDs, m.ID)
		if m.RawID != nil {
			rawDel = append(rawDel, *m.RawID)
		}
		if err := tx.Model(&Message{}).Where("id = ?", m.ID).Updates(redactedMessage(&m, red)).Error; err != nil {
			return fmt.Errorf("anonymizing message: %w", err)
		}
		be.Anonymized["messages"]++
	}
	// Outbox rows of kept tickets: the record that we answered stays.
	var obs []OutboxRow
	if err := tx.Where("ticket_id IN ?", keep).Find(&obs).Error; err != nil {
		return err
	}
	for _, o := range obs {
		if o.RawID != nil {
			rawDel = append(rawDel, *o.RawID)
		}
		if err := tx.Model(&OutboxRow{}).Where("id = ?", o.ID).Updates(map[string]any{
			"rcpt": erasedMark, "subject": red.str(o.Subject), "raw_id": nil, "last_error": red.str(o.LastError),
			"server_reply": red.str(o.ServerReply)}).Error; err != nil {
			return fmt.Errorf("anonymizing outbox row: %w", err)
		}
		be.Anonymized["outbox"]++
	}
	n, err := deleteIn(tx, &RawMessage{}, "id", uniq64(rawDel))
	if err != nil {
		return err
	}
	be.Deleted["raw_messages"] += n
	// Attachments stay only when they do not contain the person.
	if err := deleteNamingAttachments(tx, msgIDs, red, be); err != nil {
		return err
	}
	if err := tx.Model(&Correction{}).Where("ticket_id IN ?", keep).Count(&n).Error; err != nil {
		return err
	}
	be.Anonymized["classification_corrections"] += n
	return nil
}

// redactedMessage is the column update that removes the person from m.
// The raw mail and the HTML (kept only in raw) are dropped.
func redactedMessage(m *Message, red *redactor) map[string]any {
	return map[string]any{
		"from_email": red.str(m.FromEmail), "from_name": red.str(m.FromName),
		"to_addrs": red.str(m.ToAddrs), "cc_addrs": red.str(m.CcAddrs), "subject": red.str(m.Subject),
		"text": red.str(m.Text), "new_text": red.str(m.NewText), "quoted": red.str(m.Quoted),
		"signature": red.str(m.Signature), "html": "", "message_id": red.str(m.MessageID),
		"in_reply_to": red.str(m.InReplyTo), "refs": red.str(m.Refs), "dedupe_key": red.str(m.DedupeKey),
		"raw_id": nil,
	}
}

// scrubMentions removes the address and names from other people's mail
// that mentions the address, raw bytes included.
func (s *Service) scrubMentions(tx *gorm.DB, brand, email string, red *redactor, be *BrandErasure) error {
	like := "%" + strings.ToLower(email) + "%"
	var msgs []Message
	if err := tx.Where("brand = ? AND (from_email = ? OR LOWER(to_addrs) LIKE ? OR LOWER(cc_addrs) LIKE ? OR LOWER(text) LIKE ? OR LOWER(quoted) LIKE ?)",
		brand, email, like, like, like, like).Find(&msgs).Error; err != nil {
		return fmt.Errorf("finding mentions: %w", err)
	}
	ids := make([]int64, 0, len(msgs))
	for _, m := range msgs {
		upd := redactedMessage(&m, red)
		delete(upd, "raw_id")
		delete(upd, "html")
		if err := tx.Model(&Message{}).Where("id = ?", m.ID).Updates(upd).Error; err != nil {
			return err
		}
		if m.RawID != nil {
			raw, err := loadRaw(tx, *m.RawID)
			if err != nil {
				return err
			}
			if out, found := red.mail(raw); found {
				if err := replaceRaw(tx, s.store.driver, *m.RawID, out); err != nil {
					return err
				}
			}
		}
		ids = append(ids, m.ID)
		be.Anonymized["messages"]++
	}
	return deleteNamingAttachments(tx, ids, red, be)
}

// deleteNamingAttachments deletes the attachments of messages msgIDs
// that name the person.
func deleteNamingAttachments(tx *gorm.DB, msgIDs []int64, red *redactor, be *BrandErasure) error {
	if len(msgIDs) == 0 {
		return nil
	}
	var atts []Attachment
	if err := tx.Where("message_id IN ?", msgIDs).Find(&atts).Error; err != nil {
		return err
	}
	for _, a := range atts {
		if red.inAttachment(a) {
			if err := tx.Delete(&Attachment{}, a.ID).Error; err != nil {
				return err
			}
			be.Deleted["attachments"]++
		}
	}
	return nil
}

// eraseQuarantine deletes quarantined mail whose raw bytes name the person
// (quarantine is for mail we could not parse: it has no columns to scrub).
func (s *Service) eraseQuarantine(tx *gorm.DB, brand string, red *redactor, be *BrandErasure) error {
	var qs []Quarantine
	if err := tx.Where("brand = ? AND raw_id IS NOT NULL", brand).Find(&qs).Error; err != nil {
		return err
	}
	for _, q := range qs {
		raw, err := loadRaw(tx, *q.RawID)
		if err != nil {
			return err
		}
		if _, found := red.mail(raw); !found {
			continue
		}
		if err := tx.Delete(&Quarantine{}, q.ID).Error; err != nil {
			return err
		}
		if err := tx.Delete(&RawMessage{}, *q.RawID).Error; err != nil {
			return err
		}
		be.Deleted["quarantine"]++
		be.Deleted["raw_messages"]++
	}
	return nil
}

// deleteIn deletes model rows whose column is in ids, in chunks.
func deleteIn(tx *gorm.DB, model any, column string, ids []int64) (int64, error) {
	var n int64
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		res := tx.Where(column+" IN ?", chunk).Delete(model)
		if res.Error != nil {
			return n, fmt.Errorf("deleting %T: %w", model, res.Error)
		}
		n += res.RowsAffected
	}
	return n, nil
}

func deleteWhere(tx *gorm.DB, model any, where string, args ...any) (int64, error) {
	for _, a := range args {
		if ids, ok := a.([]int64); ok && len(ids) == 0 {
			// "IN ()" is invalid SQL: use an id that never exists.
			for i := range args {
				if l, ok := args[i].([]int64); ok && len(l) == 0 {
					args[i] = []int64{-1}
				}
			}
			break
		}
	}
	res := tx.Where(where, args...).Delete(model)
	if res.Error != nil {
		return 0, fmt.Errorf("deleting %T: %w", model, res.Error)
	}
	return res.RowsAffected, nil
}

func contains64(list []int64, v int64) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func uniq64(in []int64) []int64 {
	seen := map[int64]bool{}
	out := in[:0:0]
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
