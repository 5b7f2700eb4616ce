package main

import (
	"context"
	"errors"
)

func runNotices(ctx context.Context, env *cliEnv, args []string) error {
	return errors.New("not implemented yet")
}

func customersImport(ctx context.Context, env *cliEnv, args []string) error {
	return errors.New("not implemented yet")
}
