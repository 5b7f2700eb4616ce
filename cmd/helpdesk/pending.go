package main

import (
	"context"
	"errors"

	"helpdesk/config"
	"helpdesk/tickets"
)

func runDemo(ctx context.Context, env *cliEnv, args []string) error {
	return errors.New("not built yet")
}

func checkRuntime(cfg *config.Config) error { return tickets.CheckConfig(cfg) }
