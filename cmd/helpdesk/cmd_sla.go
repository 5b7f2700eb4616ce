package main

import (
	"context"
	"fmt"
	"time"

	"helpdesk/tickets/calendar"
)

// runSLA is `sla due --from T --target D [--brand B]`: the due instant in
// the calendar's zone, RFC3339.
func runSLA(ctx context.Context, env *cliEnv, args []string) error {
	sub, rest, err := splitSub(args, "due")
	if err != nil {
		return err
	}
	_ = sub
	fs := newFlags(env, "sla due")
	from := fs.String("from", "", "start instant, RFC3339 (required)")
	target := fs.String("target", "", "duration: 8bh, 3bd or a wall-clock 48h (required)")
	brand := fs.String("brand", "", "use this brand's calendar")
	pos, err := fs.parse(rest)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 0, "no arguments"); err != nil {
		return err
	}
	start, err := time.Parse(time.RFC3339, *from)
	if err != nil {
		return usageError{fmt.Sprintf("--from: %v", err)}
	}
	d, err := calendar.ParseDuration(*target)
	if err != nil {
		return usageError{fmt.Sprintf("--target: %v", err)}
	}
	cal, err := slaCalendar(env, *fs.config, *brand)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, cal.Due(start, d).Format(time.RFC3339))
	return nil
}

// slaCalendar is the brand's calendar from the config file, or the shared
// one. Without a config file (and no --brand) it is the documented
// default: Asia/Shanghai, Mon-Fri 09:00-18:00, cn holidays.
func slaCalendar(env *cliEnv, path, brand string) (*calendar.Calendar, error) {
	cfg, err := loadConfig(env, path)
	if err != nil {
		if brand == "" && isNotExist(err) {
			return calendar.Default(), nil
		}
		return nil, err
	}
	shared, err := calendar.New(cfg.Calendar)
	if err != nil {
		return nil, err
	}
	if brand == "" {
		return shared, nil
	}
	b, ok := cfg.Brand(brand)
	if !ok {
		return nil, fmt.Errorf("unknown brand %q", brand)
	}
	if b.Calendar == nil {
		return shared, nil
	}
	return shared.WithOverride(*b.Calendar)
}
