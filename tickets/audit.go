package tickets

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"helpdesk/mailbox"
)

// The audit log is append-only: this file offers no update or delete, and
// the database refuses both (a trigger raises). Its rows hold no personal
// data: the subject is a keyed hash of the email address, details name
// fields and counts, never values. So erasure never needs to touch it.

// auditAppendOnlySQLite and auditAppendOnlyPostgres are the triggers of
// migration 4 ({{semicolon}} is a semicolon inside a body; see Migrate).
const (
	auditAppendOnlySQLite = `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'){{semicolon}} END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'){{semicolon}} END`
	auditAppendOnlyPostgres = `CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'{{semicolon}} END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`
)

// AuditEntry is one audit_log row: who did what, when, to whom (as a
// keyed hash).
type AuditEntry struct {
	ID          int64     `gorm:"primaryKey" json:"id"`
	At          time.Time `json:"at"`
	Actor       string    `json:"actor"`  // agent name, "customer", "system" or "scheduler"
	Action      string    `json:"action"` // e.g. customer.export, verification.attempt
	Brand       string    `json:"brand"`
	SubjectHash string    `json:"subject_hash"` // HMAC-SHA256 of the normalized email; "" for none
	TicketRef   string    `json:"ticket_ref,omitempty"`
	Detail      string    `json:"detail"` // JSON object without personal data
}

// TableName is the migration's table name.
func (AuditEntry) TableName() string { return "audit_log" }

// privacyState holds the hash key once loaded.
type privacyState struct {
	mu  sync.Mutex
	key []byte
}

// hashKeyFile is where a generated key lives under data_dir.
const hashKeyFile = "privacy-hash.key"

// hashKey returns the key of the keyed hash: privacy.hash_key from the
// configuration, else the key file under data_dir, created with a random
// key (mode 0600) the first time.
func (s *Service) hashKey() ([]byte, error) {
	s.priv.mu.Lock()
	defer s.priv.mu.Unlock()
	if s.priv.key != nil {
		return s.priv.key, nil
	}
	if k := s.cfg.Privacy.HashKey; k != "" {
		s.priv.key = []byte(k)
		return s.priv.key, nil
	}
	path := filepath.Join(s.cfg.DataDir, hashKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(s.cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("creating data_dir: %w", err)
		}
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		f, cerr := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if cerr == nil {
			_, werr := f.WriteString(hex.EncodeToString(raw) + "\n")
			if err := f.Close(); werr == nil {
				werr = err
			}
			if werr != nil {
				return nil, fmt.Errorf("writing %s: %w", path, werr)
			}
			s.log.Info("generated the privacy hash key", "path", path)
		} else if !errors.Is(cerr, fs.ErrExist) {
			return nil, fmt.Errorf("creating %s: %w", path, cerr)
		}
		// Another process may have won the race: read whatever is there.
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the privacy hash key: %w", err)
	}
	k := strings.TrimSpace(string(b))
	if len(k) < 16 {
		return nil, fmt.Errorf("privacy hash key in %s is too short", path)
	}
	s.priv.key = []byte(k)
	return s.priv.key, nil
}

// SubjectHash is the keyed hash that stands for an email address in the
// audit log and the erasure list.
func (s *Service) SubjectHash(email string) (string, error) {
	return s.keyedHash("subject", mailbox.NormalizeEmail(email))
}

func (s *Service) keyedHash(purpose, value string) (string, error) {
	key, err := s.hashKey()
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil)), nil
}

// audit appends one entry in tx. email may be "" (no subject).
func (s *Service) audit(tx *gorm.DB, actor, action, brand, email, ref string, detail any) error {
	e := AuditEntry{At: s.now().UTC(), Actor: clean(actor), Action: action, Brand: brand, TicketRef: ref, Detail: "{}"}
	if e.Actor == "" {
		e.Actor = "system"
	}
	if email != "" {
		h, err := s.SubjectHash(email)
		if err != nil {
			return err
		}
		e.SubjectHash = h
	}
	if detail != nil {
		e.Detail = jsonString(detail)
	}
	if err := tx.Create(&e).Error; err != nil {
		return fmt.Errorf("writing audit entry %s: %w", action, err)
	}
	return nil
}

// AuditFilter narrows AuditList.
type AuditFilter struct {
	Customer string // email; matched by its keyed hash
	Action   string // prefix, e.g. "verification"
	Limit    int
}

// AuditList returns audit entries, oldest first.
func (s *Service) AuditList(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	q := s.store.db.WithContext(ctx).Model(&AuditEntry{})
	if f.Customer != "" {
		h, err := s.SubjectHash(f.Customer)
		if err != nil {
			return nil, err
		}
		q = q.Where("subject_hash = ?", h)
	}
	if f.Action != "" {
		q = q.Where("action LIKE ?", f.Action+"%")
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	out := []AuditEntry{}
	if err := q.Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("listing audit log: %w", err)
	}
	return out, nil
}
