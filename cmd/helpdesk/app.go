package main

import (
	"context"
	"fmt"
	"log/slog"

	"helpdesk/config"
	"helpdesk/tickets"
)

// app is what most subcommands need: the configuration, a logger, and the
// migrated store behind the ticket service.
type app struct {
	cfg   *config.Config
	log   *slog.Logger
	store *tickets.Store
	svc   *tickets.Service
}

func loadConfig(env *cliEnv, path string) (*config.Config, error) {
	cfg, err := config.Load(path, env.getenv)
	if err != nil {
		return nil, err
	}
	return cfg, nil
}

// openApp loads the configuration, opens the store and runs migrations
// (they are idempotent, so every command may run them).
func openApp(ctx context.Context, env *cliEnv, path string) (*app, error) {
	cfg, err := loadConfig(env, path)
	if err != nil {
		return nil, err
	}
	log := newLogger(env.stderr, cfg.Log.Level, cfg.Log.Format)
	store, err := tickets.OpenStore(ctx, tickets.StoreOptions{Driver: cfg.Database.Driver, DSN: cfg.Database.DSN, Logger: log})
	if err != nil {
		return nil, err
	}
	if applied, err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	} else if len(applied) > 0 {
		log.Info("database migrated", "versions", applied)
	}
	svc, err := tickets.NewService(tickets.ServiceOptions{Store: store, Config: cfg, Logger: log, Classifier: newClassifier(cfg, log)})
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("starting: %w", err)
	}
	return &app{cfg: cfg, log: log, store: store, svc: svc}, nil
}

func (a *app) Close() error { return a.store.Close() }

// openWith parses args, requires exactly n positional arguments (what
// describes them in the usage error), and opens the app. The caller closes
// the app.
func (f *flagSet) openWith(ctx context.Context, env *cliEnv, args []string, n int, what string) ([]string, *app, error) {
	pos, err := f.parse(args)
	if err != nil {
		return nil, nil, err
	}
	if err := requireArgs(pos, n, what); err != nil {
		return nil, nil, err
	}
	a, err := openApp(ctx, env, *f.config)
	if err != nil {
		return nil, nil, err
	}
	return pos, a, nil
}
