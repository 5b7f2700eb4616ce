package tickets

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"helpdesk/templates"
)

// NoticeInput is a notice to create.
type NoticeInput struct {
	Brand        string
	Title        string
	Body         string // Markdown or plain text
	Language     string // language of Title and Body; default the brand's
	Effective    string // YYYY-MM-DD, in the brand's calendar zone
	CoreRights   bool   // a change to core rights: mandatory, sent to everyone
	Translations []NoticeTranslation
	CreatedBy    string
}

// EffectiveDateError says a notice would take effect before the brand's
// publicity period is over.
type EffectiveDateError struct {
	Brand      string
	Effective  string
	Earliest   string
	NoticeDays int
}

// Error says the earliest allowed date.
func (e *EffectiveDateError) Error() string {
	return fmt.Sprintf("effective date %s is too soon: brand %s publishes policy changes %d days ahead; the earliest allowed date is %s",
		e.Effective, e.Brand, e.NoticeDays, e.Earliest)
}

// Unwrap makes the error an ErrInvalid.
func (e *EffectiveDateError) Unwrap() error { return ErrInvalid }

// EarliestEffective is the first date a notice published today may take
// effect: today in the brand's calendar zone plus its notice_days.
func (s *Service) EarliestEffective(brand string) (string, error) {
	b, ok := s.cfg.Brand(brand)
	if !ok {
		return "", fmt.Errorf("%w: unknown brand %q", ErrInvalid, brand)
	}
	today := s.now().In(s.location(brand))
	return today.AddDate(0, 0, b.Policy.NoticeDays).Format(time.DateOnly), nil
}

// checkEffective refuses an effective date before EarliestEffective.
func (s *Service) checkEffective(brand, effective string) error {
	if _, err := time.Parse(time.DateOnly, effective); err != nil {
		return fmt.Errorf("%w: effective date %q is not YYYY-MM-DD", ErrInvalid, effective)
	}
	earliest, err := s.EarliestEffective(brand)
	if err != nil {
		return err
	}
	if effective < earliest {
		b, _ := s.cfg.Brand(brand)
		return &EffectiveDateError{Brand: brand, Effective: effective, Earliest: earliest, NoticeDays: b.Policy.NoticeDays}
	}
	return nil
}

// CreateNotice validates and stores a draft notice.
func (s *Service) CreateNotice(ctx context.Context, in NoticeInput) (*Notice, error) {
	b, ok := s.cfg.Brand(in.Brand)
	if !ok {
		return nil, fmt.Errorf("%w: unknown brand %q", ErrInvalid, in.Brand)
	}
	if strings.TrimSpace(in.Title) == "" || strings.TrimSpace(in.Body) == "" {
		return nil, fmt.Errorf("%w: a notice needs a title and a body", ErrInvalid)
	}
	if err := s.checkEffective(b.ID, in.Effective); err != nil {
		return nil, err
	}
	lang := templates.NormalizeLang(in.Language)
	if lang == "" {
		lang = templates.NormalizeLang(b.Language)
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	now := s.now().UTC()
	n := &Notice{Brand: b.ID, Title: clean(strings.TrimSpace(in.Title)), Body: clean(in.Body), Language: lang,
		EffectiveDate: in.Effective, PublishedOn: now.In(s.location(b.ID)).Format(time.DateOnly),
		CoreRights: in.CoreRights, Status: NoticeDraft, Secret: hex.EncodeToString(secret),
		CreatedBy: clean(in.CreatedBy), CreatedAt: now, UpdatedAt: now}
	err := s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(n).Error; err != nil {
			return fmt.Errorf("storing notice: %w", err)
		}
		seen := map[string]bool{lang: true}
		for _, tr := range in.Translations {
			l := templates.NormalizeLang(tr.Language)
			if l == "" || seen[l] {
				return fmt.Errorf("%w: translation language %q is invalid or given twice", ErrInvalid, tr.Language)
			}
			seen[l] = true
			row := NoticeTranslation{NoticeID: n.ID, Language: l, Title: clean(strings.TrimSpace(tr.Title)), Body: clean(tr.Body)}
			if row.Title == "" {
				row.Title = n.Title
			}
			if strings.TrimSpace(row.Body) == "" {
				return fmt.Errorf("%w: the %s translation has no body", ErrInvalid, l)
			}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("storing %s translation: %w", l, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// Notice loads one notice.
func (s *Service) Notice(ctx context.Context, id int64) (*Notice, error) {
	var n Notice
	err := s.store.db.WithContext(ctx).First(&n, id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("notice %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("loading notice %d: %w", id, err)
	}
	return &n, nil
}

// ListNotices returns every notice, newest first.
func (s *Service) ListNotices(ctx context.Context) ([]Notice, error) {
	list := []Notice{}
	err := s.store.db.WithContext(ctx).Order("id DESC").Find(&list).Error
	return list, err
}

// ScheduleNotice creates one recipient row per customer of the notice's
// brand (mail and imported alike) and hands the notice to the daemon's
// notice workers, all in one transaction: the audience is fixed at this
// moment, and a crash leaves either no rows or all of them. The rows are
// written by one INSERT ... SELECT, so 100,000 recipients never pass
// through this process's memory.
func (s *Service) ScheduleNotice(ctx context.Context, id int64) (int64, error) {
	var total int64
	err := s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n Notice
		if err := tx.First(&n, id).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("notice %d: %w", id, ErrNotFound)
			}
			return err
		}
		if n.Status != NoticeDraft {
			return fmt.Errorf("%w: notice %d is %s; only a draft can be sent", ErrInvalid, id, n.Status)
		}
		// The mail is what tells customers; it must leave a full publicity
		// period before the change takes effect, whenever it is sent.
		if err := s.checkEffective(n.Brand, n.EffectiveDate); err != nil {
			return err
		}
		now := s.now().UTC()
		res := tx.Exec(`INSERT INTO notice_recipients (notice_id, brand, email, name, language, status, attempts, next_attempt_at)
			SELECT ?, brand, email, name, language, ?, 0, ? FROM customers WHERE brand = ? ORDER BY id`,
			n.ID, RecipientQueued, now, n.Brand)
		if res.Error != nil {
			return fmt.Errorf("creating recipients: %w", res.Error)
		}
		total = res.RowsAffected
		status := NoticeSending
		var finished *time.Time
		if total == 0 {
			status, finished = NoticeDone, &now
		}
		return tx.Model(&Notice{}).Where("id = ?", n.ID).Updates(map[string]any{"status": status, "total": total,
			"scheduled_at": now, "updated_at": now, "finished_at": finished}).Error
	})
	return total, err
}

// SetNoticeState pauses, resumes or cancels a notice. Workers notice the
// change between two messages; a cancelled notice's unsent rows become
// cancelled and are never sent.
func (s *Service) SetNoticeState(ctx context.Context, id int64, action string) (*Notice, error) {
	from := map[string][]string{
		"pause":  {NoticeSending},
		"resume": {NoticePaused},
		"cancel": {NoticeDraft, NoticeSending, NoticePaused},
	}
	to := map[string]string{"pause": NoticePaused, "resume": NoticeSending, "cancel": NoticeCancelled}
	if to[action] == "" {
		return nil, fmt.Errorf("%w: unknown action %q", ErrInvalid, action)
	}
	err := s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.now().UTC()
		res := tx.Model(&Notice{}).Where("id = ? AND status IN ?", id, from[action]).
			Updates(map[string]any{"status": to[action], "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			n, err := s.Notice(ctx, id)
			if err != nil {
				return err
			}
			return fmt.Errorf("%w: notice %d is %s; cannot %s it", ErrInvalid, id, n.Status, action)
		}
		if action == "cancel" {
			return tx.Model(&NoticeRecipient{}).Where("notice_id = ? AND status = ?", id, RecipientQueued).
				Updates(map[string]any{"status": RecipientCancelled, "last_error": "notice cancelled"}).Error
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Notice(ctx, id)
}

// NoticeProgress is the state of a notice's send.
type NoticeProgress struct {
	ID        int64            `json:"id"`
	Brand     string           `json:"brand"`
	Title     string           `json:"title"`
	Status    string           `json:"status"`
	Total     int64            `json:"total"`
	Counts    map[string]int64 `json:"counts"`
	Remaining int64            `json:"remaining"`
	Rate      float64          `json:"rate_per_second"` // sent in the last minute, per second
	ETA       *time.Time       `json:"eta"`             // when the remaining rows should be sent at Rate
	ETASecs   float64          `json:"eta_seconds"`
}

// NoticeStatus counts a notice's recipients by state and estimates when
// the send finishes.
func (s *Service) NoticeStatus(ctx context.Context, id int64) (*NoticeProgress, error) {
	n, err := s.Notice(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &NoticeProgress{ID: n.ID, Brand: n.Brand, Title: n.Title, Status: n.Status, Total: n.Total, Counts: map[string]int64{}}
	for _, st := range []string{RecipientQueued, RecipientSending, RecipientSent, RecipientFailed, RecipientSkipped, RecipientCancelled} {
		p.Counts[st] = 0
	}
	var rows []struct {
		Status string
		N      int64
	}
	db := s.store.db.WithContext(ctx)
	if err := db.Model(&NoticeRecipient{}).Select("status, COUNT(*) AS n").Where("notice_id = ?", id).
		Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("counting recipients: %w", err)
	}
	for _, r := range rows {
		p.Counts[r.Status] = r.N
	}
	p.Remaining = p.Counts[RecipientQueued] + p.Counts[RecipientSending]
	now := s.now().UTC()
	var recent int64
	if err := db.Model(&NoticeRecipient{}).Where("status = ? AND notice_id = ? AND sent_at > ?", RecipientSent, id, now.Add(-time.Minute)).
		Count(&recent).Error; err != nil {
		return nil, fmt.Errorf("measuring rate: %w", err)
	}
	p.Rate = float64(recent) / 60
	if p.Rate > 0 && p.Remaining > 0 {
		p.ETASecs = float64(p.Remaining) / p.Rate
		eta := now.Add(time.Duration(p.ETASecs * float64(time.Second)))
		p.ETA = &eta
	}
	return p, nil
}

// NoticePreview is a notice as one customer would receive it.
type NoticePreview struct {
	To      string      `json:"to"`
	Lang    string      `json:"lang"`
	Subject string      `json:"subject"`
	Headers [][2]string `json:"headers"`
	Text    string      `json:"text"`
	HTML    string      `json:"html"`
	Raw     []byte      `json:"-"`
}

// PreviewNotice renders the notice for email (a customer of the brand, or
// anyone: unknown addresses get the notice's own language).
func (s *Service) PreviewNotice(ctx context.Context, id int64, email string) (*NoticePreview, error) {
	n, err := s.Notice(ctx, id)
	if err != nil {
		return nil, err
	}
	run, err := s.loadNoticeRun(ctx, n)
	if err != nil {
		return nil, err
	}
	r := &NoticeRecipient{ID: 0, NoticeID: n.ID, Brand: n.Brand, Email: strings.ToLower(strings.TrimSpace(email))}
	var c Customer
	if err := s.store.db.WithContext(ctx).Where("brand = ? AND email = ?", n.Brand, r.Email).Limit(1).Find(&c).Error; err != nil {
		return nil, err
	}
	r.Name, r.Language = c.Name, c.Language
	m, lang, err := s.noticeMail(run, r, s.now().UTC())
	if err != nil {
		return nil, err
	}
	raw, err := renderMail(m)
	if err != nil {
		return nil, err
	}
	return &NoticePreview{To: r.Email, Lang: lang, Subject: m.Subject, Headers: m.Headers, Text: m.Text, HTML: m.HTML, Raw: raw}, nil
}
