package main

import (
	"context"
	"errors"
)

// runCustomers dispatches the customers subcommands. import belongs to the
// notices work (cmd_customers_import.go); the rest to the privacy work.
func runCustomers(ctx context.Context, env *cliEnv, args []string) error {
	sub, rest, err := splitSub(args, "import", "export", "erase", "show", "update", "consent")
	if err != nil {
		return err
	}
	switch sub {
	case "import":
		return customersImport(ctx, env, rest)
	default:
		return customersPrivacy(ctx, env, sub, rest)
	}
}

// customersPrivacy runs export, erase, show, update and consent.
func customersPrivacy(ctx context.Context, env *cliEnv, sub string, args []string) error {
	return errors.New("not implemented yet")
}

func runRetention(ctx context.Context, env *cliEnv, args []string) error {
	return errors.New("not implemented yet")
}

func runAudit(ctx context.Context, env *cliEnv, args []string) error {
	return errors.New("not implemented yet")
}
