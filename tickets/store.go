package tickets

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Store is the gorm-backed database of tickets, messages and everything
// hanging off them. It is safe for concurrent use.
type Store struct {
	db     *gorm.DB
	driver string
	log    *slog.Logger
	// stopCheckpoints ends the SQLite checkpointer (see checkpointLoop).
	stopCheckpoints context.CancelFunc
	checkpointsDone chan struct{}
}

// StoreOptions selects and tunes the database.
type StoreOptions struct {
	Driver string // "sqlite" (default) or "postgres"
	DSN    string // a file path for sqlite, a URL or key=value string for postgres
	Logger *slog.Logger
}

// OpenStore connects to the database. It does not migrate; call Migrate.
func OpenStore(ctx context.Context, opts StoreOptions) (*Store, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	gcfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		db  *gorm.DB
		err error
	)
	switch opts.Driver {
	case "", "sqlite":
		opts.Driver = "sqlite"
		dsn, derr := sqliteDSN(opts.DSN)
		if derr != nil {
			return nil, derr
		}
		db, err = gorm.Open(sqlite.New(sqlite.Config{Conn: sql.OpenDB(sqliteConnector{dsn: dsn})}), gcfg)
	case "postgres":
		db, err = gorm.Open(postgres.Open(opts.DSN), gcfg)
	default:
		return nil, fmt.Errorf("unknown database driver %q", opts.Driver)
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s database: %w", opts.Driver, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if opts.Driver == "sqlite" {
		// One writer at a time is SQLite's rule; a few readers may share WAL.
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(16)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connecting to %s database: %w", opts.Driver, err)
	}
	s := &Store{db: db, driver: opts.Driver, log: log}
	if opts.Driver == "sqlite" {
		cctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		s.stopCheckpoints, s.checkpointsDone = cancel, make(chan struct{})
		go s.checkpointLoop(cctx)
	}
	return s, nil
}

// sqliteConnector opens mattn/go-sqlite3 connections with the settings
// that have no DSN parameter. A private driver value, not a registered
// driver name, keeps this out of package-level state.
type sqliteConnector struct{ dsn string }

func (c sqliteConnector) Connect(ctx context.Context) (driver.Conn, error) {
	return c.Driver().Open(c.dsn)
}

func (c sqliteConnector) Driver() driver.Driver {
	return &sqlite3.SQLiteDriver{ConnectHook: func(conn *sqlite3.SQLiteConn) error {
		// Commits never checkpoint: checkpointLoop does, off the writer's
		// path (see there).
		_, err := conn.Exec("PRAGMA wal_autocheckpoint = 0", nil)
		return err
	}}
}

// checkpointLoop copies the WAL back into the database file once a second.
// By default SQLite checkpoints inside whichever commit pushes the WAL past
// 4 MiB, and that commit then waits for the copy and two fsyncs; ingest
// commits several MiB a second, so it would wait on every batch. A
// PASSIVE checkpoint here runs beside the writer and never blocks it.
// (Other processes keep SQLite's default and checkpoint as usual.)
func (s *Store) checkpointLoop(ctx context.Context) {
	defer close(s.checkpointsDone)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.db.WithContext(ctx).Exec("PRAGMA wal_checkpoint(PASSIVE)").Error; err != nil && ctx.Err() == nil {
				s.log.Warn("sqlite checkpoint", "err", err)
			}
		}
	}
}

// sqliteDSN turns a path into a mattn/go-sqlite3 DSN with the settings the
// daemon relies on: WAL so readers never block the writer, immediate
// transactions so two writers queue on the busy timeout instead of failing
// with SQLITE_BUSY mid-transaction, and secure_delete so erased personal
// data is overwritten rather than left in free pages.
func sqliteDSN(path string) (string, error) {
	if path == "" {
		return "", errors.New("sqlite dsn (a file path) is required")
	}
	file, query, _ := strings.Cut(strings.TrimPrefix(path, "file:"), "?")
	if file != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
			return "", fmt.Errorf("creating database directory: %w", err)
		}
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("sqlite dsn: %w", err)
	}
	for k, v := range map[string]string{
		"_journal_mode":  "WAL",
		"_busy_timeout":  "15000",
		"_txlock":        "immediate",
		"_foreign_keys":  "on",
		"_synchronous":   "NORMAL",
		"_secure_delete": "on",
	} {
		if q.Get(k) == "" {
			q.Set(k, v)
		}
	}
	return "file:" + file + "?" + q.Encode(), nil
}

// Driver is "sqlite" or "postgres".
func (s *Store) Driver() string { return s.driver }

// DB exposes the gorm handle for packages' tests and maintenance commands.
func (s *Store) DB() *gorm.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	if s.driver == "sqlite" {
		s.stopCheckpoints()
		<-s.checkpointsDone
		// Fold the WAL back so the main file is complete on its own.
		s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	return sqlDB.Close()
}
