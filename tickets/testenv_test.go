package tickets

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"helpdesk/config"
)

// storeDrivers lists the stores every store test runs on: SQLite always,
// PostgreSQL when HELPDESK_TEST_POSTGRES is set (scripts/services.sh
// starts one).
func storeDrivers(t *testing.T) []string {
	drivers := []string{"sqlite"}
	if os.Getenv("HELPDESK_TEST_POSTGRES") != "" {
		drivers = append(drivers, "postgres")
	} else {
		t.Log("PostgreSQL store tests skipped: HELPDESK_TEST_POSTGRES is not set (run scripts/services.sh start)")
	}
	return drivers
}

// forEachDriver runs fn as a subtest per store driver.
func forEachDriver(t *testing.T, fn func(t *testing.T, driver string)) {
	for _, d := range storeDrivers(t) {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// openTestStore opens a fresh, migrated store: a new SQLite file, or a new
// schema in the test PostgreSQL database, dropped at cleanup.
func openTestStore(t testing.TB, driver string) *Store {
	t.Helper()
	ctx := context.Background()
	opts := StoreOptions{Driver: driver}
	switch driver {
	case "sqlite":
		opts.DSN = filepath.Join(t.TempDir(), "helpdesk.db")
	case "postgres":
		base := os.Getenv("HELPDESK_TEST_POSTGRES")
		if base == "" {
			t.Skip("HELPDESK_TEST_POSTGRES is not set")
		}
		b := make([]byte, 6)
		rand.Read(b)
		schema := "t_" + hex.EncodeToString(b)
		admin, err := OpenStore(ctx, StoreOptions{Driver: "postgres", DSN: base})
		if err != nil {
			t.Fatal(err)
		}
		if err := admin.db.Exec("CREATE SCHEMA " + schema).Error; err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			admin.db.Exec("DROP SCHEMA " + schema + " CASCADE")
			admin.Close()
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		opts.DSN = u.String()
	}
	s, err := OpenStore(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// testConfig is a one-brand configuration whose mailbox the caller fills.
func testConfig(t testing.TB) *config.Config {
	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Brands = []config.Brand{{
		ID: "xiyue", Name: "Xiyue Technology", Address: "support@xiyue.example", TicketPrefix: "XY",
		Language: "zh", PrivacyContact: "privacy@xiyue.example",
		IMAP: config.IMAP{Security: "none", Auth: "password", Folder: "INBOX", AfterImport: "none",
			PollInterval: config.Duration(time.Second), IDLE: true},
		SMTP:   config.SMTP{Host: "127.0.0.1", Port: 25, Security: "none", Auth: "none"},
		Policy: config.DefaultPolicy(),
	}}
	return cfg
}

func newTestService(t testing.TB, store *Store, cfg *config.Config) *Service {
	t.Helper()
	svc, err := NewService(ServiceOptions{Store: store, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func countRows(t testing.TB, s *Store, table string) int64 {
	t.Helper()
	var n int64
	if err := s.db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(fmt.Errorf("%w", err))
	}
}
