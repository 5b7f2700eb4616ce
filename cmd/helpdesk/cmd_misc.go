package main

import (
	"context"
	"fmt"
)

func runMigrate(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "migrate")
	_, a, err := fs.openWith(ctx, env, args, 0, "no arguments")
	if err != nil {
		return err
	}
	defer a.Close()
	v, err := a.store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "schema version %d\n", v)
	return nil
}

func runConfig(ctx context.Context, env *cliEnv, args []string) error {
	sub, rest, err := splitSub(args, "check")
	if err != nil {
		return err
	}
	_ = sub
	fs := newFlags(env, "config check")
	pos, err := fs.parse(rest)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 0, "no arguments"); err != nil {
		return err
	}
	cfg, err := loadConfig(env, *fs.config)
	if err != nil {
		return err
	}
	if err := checkRuntime(cfg); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s: ok (%d brands)\n", *fs.config, len(cfg.Brands))
	return nil
}
