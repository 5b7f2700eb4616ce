package tickets

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

	"helpdesk/mailbox"
)

// claimNoticeRecipients atomically moves up to n due rows of the oldest
// notice being sent to `sending` for holder, exactly like claimOutbox:
// FOR UPDATE SKIP LOCKED on PostgreSQL, an atomic UPDATE ... RETURNING on
// SQLite. It claims from one notice at a time so that a paused notice's
// queued rows are never scanned.
func (s *Store) claimNoticeRecipients(ctx context.Context, holder string, n int, now time.Time, lease time.Duration) ([]*NoticeRecipient, error) {
	db := s.db.WithContext(ctx)
	var active []int64
	if err := db.Model(&Notice{}).Where("status = ?", NoticeSending).Order("id").Pluck("id", &active).Error; err != nil {
		return nil, fmt.Errorf("listing notices being sent: %w", err)
	}
	lock := ""
	if s.driver == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	q := `UPDATE notice_recipients SET status = ?, claimed_by = ?, claimed_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM notice_recipients WHERE status = ? AND notice_id = ? AND next_attempt_at <= ?
		ORDER BY id LIMIT ?` + lock + `) RETURNING *`
	for _, id := range active {
		var rows []*NoticeRecipient
		if err := db.Raw(q, RecipientSending, holder, now.Add(lease), RecipientQueued, id, now, n).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("claiming recipients of notice %d: %w", id, err)
		}
		if len(rows) > 0 {
			sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
			return rows, nil
		}
	}
	return nil, nil
}

// recoverNoticeClaims requeues rows whose worker died mid-send (its claim
// expired, or its process on this host is gone). The one message such a
// worker had in flight may be sent again: the at-most-one duplicate a
// crash can cost.
func (s *Store) recoverNoticeClaims(ctx context.Context, now time.Time) (int64, error) {
	db := s.db.WithContext(ctx)
	var holders []string
	if err := db.Model(&NoticeRecipient{}).Where("status = ?", RecipientSending).Distinct().Pluck("claimed_by", &holders).Error; err != nil {
		return 0, fmt.Errorf("listing notice claims: %w", err)
	}
	dead := []string{""}
	for _, h := range holders {
		if !HolderAlive(h) {
			dead = append(dead, h)
		}
	}
	res := db.Model(&NoticeRecipient{}).Where("status = ? AND (claimed_until < ? OR claimed_by IN ?)", RecipientSending, now, dead).
		Updates(map[string]any{"status": RecipientQueued, "claimed_by": "", "claimed_until": nil})
	if res.Error != nil {
		return 0, fmt.Errorf("recovering notice claims: %w", res.Error)
	}
	return res.RowsAffected, nil
}

func (s *Store) renewNoticeClaims(ctx context.Context, holder string, until time.Time) error {
	return s.db.WithContext(ctx).Model(&NoticeRecipient{}).Where("status = ? AND claimed_by = ?", RecipientSending, holder).
		Update("claimed_until", until).Error
}

// noticeInFlight counts rows of active notices being sent by anyone.
func (s *Store) noticeInFlight(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&NoticeRecipient{}).Where("status = ?", RecipientSending).Count(&n).Error
	return n, err
}

// releaseNoticeClaims hands rows back untouched (the attempt not counted);
// rows of a notice cancelled meanwhile become cancelled instead.
func (s *Store) releaseNoticeClaims(ctx context.Context, rows []*NoticeRecipient, holder string) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return s.db.WithContext(ctx).Exec(`UPDATE notice_recipients SET claimed_by = '', claimed_until = NULL, attempts = attempts - 1,
		status = CASE WHEN (SELECT status FROM notices WHERE notices.id = notice_recipients.notice_id) = ? THEN ? ELSE ? END
		WHERE id IN ? AND status = ? AND claimed_by = ?`,
		NoticeCancelled, RecipientCancelled, RecipientQueued, ids, RecipientSending, holder).Error
}

func (s *Store) requeueNoticeRecipient(ctx context.Context, id int64, next time.Time, lastErr string) error {
	return s.db.WithContext(ctx).Exec(`UPDATE notice_recipients SET status = ?, claimed_by = '', claimed_until = NULL,
		next_attempt_at = ?, last_error = ? WHERE id = ?`, RecipientQueued, next, clean(lastErr), id).Error
}

// finishNoticeRecipient records a send's outcome: one statement per mail,
// the hot path of a broadcast.
func (s *Store) finishNoticeRecipient(ctx context.Context, id int64, status, mid, reply, lastErr string, now time.Time) error {
	var sentAt *time.Time
	if status == RecipientSent {
		sentAt = &now
	}
	// A prepared statement: parsing and planning the UPDATE again for
	// every mail was a fifth of its cost.
	return s.db.Session(&gorm.Session{PrepareStmt: true}).WithContext(ctx).Exec(`UPDATE notice_recipients SET status = ?, claimed_by = '', claimed_until = NULL,
		message_id = ?, server_reply = ?, last_error = ?, sent_at = ? WHERE id = ?`,
		status, mid, clean(reply), clean(lastErr), sentAt, id).Error
}

// finishDoneNotices marks notices done once no recipient is queued or
// being sent.
func (s *Store) finishDoneNotices(ctx context.Context, now time.Time) error {
	return s.db.WithContext(ctx).Exec(`UPDATE notices SET status = ?, finished_at = ?, updated_at = ?
		WHERE status = ? AND NOT EXISTS (SELECT 1 FROM notice_recipients r
			WHERE r.notice_id = notices.id AND r.status IN (?, ?))`,
		NoticeDone, now, now, NoticeSending, RecipientQueued, RecipientSending).Error
}

// recipientByRef loads the recipient a notice Message-ID or token names,
// checking its MAC against the notice's secret.
func recipientByRef(tx *gorm.DB, ref, purpose string) (*NoticeRecipient, *Notice, error) {
	nid, rid, mac, ok := parseNoticeRef(ref)
	if !ok {
		return nil, nil, nil
	}
	var n Notice
	if err := tx.Where("id = ?", nid).Limit(1).Find(&n).Error; err != nil || n.ID == 0 {
		return nil, nil, err
	}
	secret, err := hexDecode(n.Secret)
	if err != nil || noticeMAC(secret, purpose, rid) != mac {
		return nil, nil, nil
	}
	var r NoticeRecipient
	if err := tx.Where("id = ? AND notice_id = ?", rid, nid).Limit(1).Find(&r).Error; err != nil || r.ID == 0 {
		return nil, nil, err
	}
	return &r, &n, nil
}

// erasedAmong reports which rows' addresses are on brand's erasure list,
// with one query for the batch.
func (s *Store) erasedAmong(ctx context.Context, svc *Service, brand string, rows []*NoticeRecipient) (map[int64]bool, error) {
	byHash := make(map[string][]int64, len(rows))
	hashes := make([]string, 0, len(rows))
	for _, r := range rows {
		h, err := svc.SubjectHash(r.Email)
		if err != nil {
			return nil, err
		}
		if byHash[h] == nil {
			hashes = append(hashes, h)
		}
		byHash[h] = append(byHash[h], r.ID)
	}
	var found []string
	if err := s.db.WithContext(ctx).Table("erasures").Where("brand = ? AND email_hash IN ?", brand, hashes).
		Pluck("email_hash", &found).Error; err != nil {
		return nil, fmt.Errorf("checking erasure list: %w", err)
	}
	out := map[int64]bool{}
	for _, h := range found {
		for _, id := range byHash[h] {
			out[id] = true
		}
	}
	return out, nil
}

// refusedAmong returns the normalized addresses among rows whose customer
// withdrew consent to purpose, with one query for the batch (the batch
// form of hasConsent: no consent row means not withdrawn).
func (s *Store) refusedAmong(ctx context.Context, brand, purpose string, rows []*NoticeRecipient) (map[string]bool, error) {
	emails := make([]string, len(rows))
	for i, r := range rows {
		emails[i] = mailbox.NormalizeEmail(r.Email)
	}
	var found []struct {
		Email   string
		Allowed bool
	}
	err := s.db.WithContext(ctx).Table("customer_consent AS cc").Select("c.email, cc.allowed").
		Joins("JOIN customers c ON c.id = cc.customer_id").
		Where("c.brand = ? AND c.email IN ? AND cc.purpose = ?", brand, emails, purpose).Scan(&found).Error
	if err != nil {
		return nil, fmt.Errorf("checking consent: %w", err)
	}
	out := map[string]bool{}
	for _, f := range found {
		if !f.Allowed {
			out[f.Email] = true
		}
	}
	return out, nil
}
