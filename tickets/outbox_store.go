package tickets

import (
	"context"
	"fmt"
	"gorm.io/gorm"
	"sort"
	"time"
)

// claimOutbox atomically moves up to n due rows to `sending` for holder
// and returns them. On PostgreSQL the inner SELECT locks with FOR UPDATE
// SKIP LOCKED, so concurrent workers (in any instance) claim disjoint
// rows without waiting; SQLite has a single writer, and the UPDATE ...
// RETURNING is atomic there (gorm would silently drop a locking clause).
func (s *Store) claimOutbox(ctx context.Context, holder string, n int, now time.Time, lease time.Duration) ([]*OutboxRow, error) {
	lock := ""
	if s.driver == "postgres" {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	q := `UPDATE outbox SET status = ?, claimed_by = ?, claimed_until = ?, attempts = attempts + 1
		WHERE id IN (SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ? ORDER BY id LIMIT ?` + lock + `)
		RETURNING *`
	var rows []*OutboxRow
	err := s.db.WithContext(ctx).Raw(q, OutboxSending, holder, now.Add(lease), OutboxQueued, now, n).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("claiming outbox rows: %w", err)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	return rows, nil
}

// recoverExpiredClaims requeues rows whose worker died mid-send. The one
// message such a worker had in flight may be sent again; that is the
// at-most-one duplicate a crash can cost.
func (s *Store) recoverExpiredClaims(ctx context.Context, now time.Time) (int64, error) {
	db := s.db.WithContext(ctx)
	var holders []string
	if err := db.Model(&OutboxRow{}).Where("status = ?", OutboxSending).Distinct().Pluck("claimed_by", &holders).Error; err != nil {
		return 0, fmt.Errorf("listing outbox claims: %w", err)
	}
	var dead []string
	for _, h := range holders {
		if !HolderAlive(h) {
			dead = append(dead, h)
		}
	}
	q := db.Model(&OutboxRow{}).Where("status = ? AND claimed_until < ?", OutboxSending, now)
	if len(dead) > 0 {
		q = db.Model(&OutboxRow{}).Where("status = ? AND (claimed_until < ? OR claimed_by IN ?)", OutboxSending, now, dead)
	}
	res := q.Updates(map[string]any{"status": OutboxQueued, "claimed_by": "", "claimed_until": nil})
	if res.Error != nil {
		return 0, fmt.Errorf("recovering expired outbox claims: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// renewClaims extends holder's claims, so a slow send is not mistaken for
// a dead worker.
func (s *Store) renewClaims(ctx context.Context, holder string, until time.Time) error {
	return s.db.WithContext(ctx).Model(&OutboxRow{}).Where("status = ? AND claimed_by = ?", OutboxSending, holder).
		Update("claimed_until", until).Error
}

// inFlight counts rows being sent by anyone.
func (s *Store) inFlight(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&OutboxRow{}).Where("status = ?", OutboxSending).Count(&n).Error
	return n, err
}

// releaseClaims hands rows back untouched (their attempt not counted).
func (s *Store) releaseClaims(ctx context.Context, rows []*OutboxRow, holder string) error {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return s.db.WithContext(ctx).Model(&OutboxRow{}).
		Where("id IN ? AND status = ? AND claimed_by = ?", ids, OutboxSending, holder).
		Updates(map[string]any{"status": OutboxQueued, "claimed_by": "", "claimed_until": nil,
			"attempts": gorm.Expr("attempts - 1")}).Error
}

func (s *Store) requeue(ctx context.Context, id int64, holder string, next time.Time, lastErr string) error {
	return s.db.WithContext(ctx).Model(&OutboxRow{}).Where("id = ? AND claimed_by = ?", id, holder).
		Updates(map[string]any{"status": OutboxQueued, "claimed_by": "", "claimed_until": nil,
			"next_attempt_at": next, "last_error": clean(lastErr)}).Error
}

// finishOutbox records a send's outcome. It is the hot path of the outbox
// (one statement per mail), so it is plain SQL.
func (s *Store) finishOutbox(ctx context.Context, id int64, status, reply, lastErr string, now time.Time) error {
	var sentAt *time.Time
	if status == OutboxSent {
		sentAt = &now
	}
	return s.db.WithContext(ctx).Exec(`UPDATE outbox SET status = ?, claimed_by = '', claimed_until = NULL,
		server_reply = ?, last_error = ?, sent_at = ? WHERE id = ?`, status, clean(reply), clean(lastErr), sentAt, id).Error
}

// rawFor loads the rendered messages of claimed rows in one query.
func (s *Store) rawFor(ctx context.Context, rows []*OutboxRow) (map[int64][]byte, error) {
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if r.RawID != nil {
			ids = append(ids, *r.RawID)
		}
	}
	var raws []RawMessage
	if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&raws).Error; err != nil {
		return nil, fmt.Errorf("loading rendered mail: %w", err)
	}
	out := make(map[int64][]byte, len(raws))
	for _, r := range raws {
		data, err := rawBytes(s.db.WithContext(ctx), r)
		if err != nil {
			return nil, err
		}
		out[r.ID] = data
	}
	return out, nil
}

// OutboxCounts returns the number of rows per status.
func (s *Store) OutboxCounts(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := s.db.WithContext(ctx).Model(&OutboxRow{}).Select("status, COUNT(*) AS n").Group("status").Scan(&rows).Error
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, err
}
