package tickets

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm/clause"
)

// A lease is a named, expiring lock row. The poller of a mailbox holds one
// so that several daemon instances (and a `poll --once` beside a running
// daemon) never ingest the same folder at once. Unlike a session advisory
// lock it works the same on SQLite and PostgreSQL and does not pin a
// connection; a crashed holder's lease simply expires.
type lease struct {
	ID        string `gorm:"column:name;primaryKey"`
	Holder    string
	ExpiresAt time.Time
}

func (lease) TableName() string { return "leases" }

// NewHolderID names this process for leases and outbox claims.
func NewHolderID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

// AcquireLease takes or renews the lease name for holder. It reports false
// when another holder has an unexpired lease.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := time.Now().UTC()
	db := s.db.WithContext(ctx)
	res := db.Model(&lease{}).Where("name = ? AND (holder = ? OR expires_at < ?)", name, holder, now).
		Updates(map[string]any{"holder": holder, "expires_at": now.Add(ttl)})
	if res.Error != nil {
		return false, fmt.Errorf("renewing lease %s: %w", name, res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	res = db.Clauses(clause.OnConflict{DoNothing: true}).Create(&lease{ID: name, Holder: holder, ExpiresAt: now.Add(ttl)})
	if res.Error != nil {
		return false, fmt.Errorf("taking lease %s: %w", name, res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	// Held by someone else. If that someone is a dead process on this
	// host (a daemon killed a moment ago), take over now instead of
	// waiting for the lease to expire.
	var cur lease
	if err := db.Where("name = ?", name).First(&cur).Error; err != nil {
		return false, nil
	}
	if HolderAlive(cur.Holder) {
		return false, nil
	}
	res = db.Model(&lease{}).Where("name = ? AND holder = ?", name, cur.Holder).
		Updates(map[string]any{"holder": holder, "expires_at": now.Add(ttl)})
	if res.Error != nil {
		return false, fmt.Errorf("taking over lease %s: %w", name, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// HolderAlive reports whether the process named by a holder ID may still
// be running: false only when it ran on this host and its pid is gone.
// Holders on other hosts are presumed alive until their lease expires.
func HolderAlive(holder string) bool {
	parts := strings.Split(holder, ":")
	if len(parts) != 3 {
		return true
	}
	host, _ := os.Hostname()
	pid, err := strconv.Atoi(parts[1])
	if parts[0] != host || err != nil || pid <= 0 {
		return true
	}
	if pid == os.Getpid() {
		return true
	}
	err = syscall.Kill(pid, 0)
	return !errors.Is(err, syscall.ESRCH)
}

// ReleaseLease gives the lease up if holder has it.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.db.WithContext(ctx).Where("name = ? AND holder = ?", name, holder).Delete(&lease{}).Error
}
