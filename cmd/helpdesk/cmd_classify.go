package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/tickets"
	"helpdesk/tickets/classify"
)

// classifyLine is the DESIGN.md JSON line of `helpdesk classify`.
type classifyLine struct {
	File string `json:"file"`
	classify.Result
}

// newClassifier is the daemon's classifier: the model trained with the
// agents' corrections when `classify train` wrote one, else the shipped
// model.
func newClassifier(cfg *config.Config, log *slog.Logger) tickets.Classifier {
	c, err := tickets.OpenClassifier(cfg.DataDir)
	if err != nil {
		log.Error("loading the trained classifier; using the shipped model", "err", err)
		base, _ := classify.New()
		return tickets.TrainedClassifier{C: base}
	}
	return c
}

func runClassify(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) > 0 && (args[0] == "eval" || args[0] == "train") {
		if args[0] == "eval" {
			return classifyEval(env, args[1:])
		}
		return classifyTrain(ctx, env, args[1:])
	}
	fs := newFlags(env, "classify")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	// classify works without a config file: then the shipped model and no
	// own addresses.
	var own []string
	c, err := classify.New()
	if err != nil {
		return err
	}
	if cfg, err := loadConfig(env, *fs.config); err == nil {
		tc, err := tickets.OpenClassifier(cfg.DataDir)
		if err != nil {
			return err
		}
		c = tc.C
		for _, b := range cfg.Brands {
			own = append(own, b.Address, b.PrivacyContact)
			own = append(own, b.Aliases...)
		}
	} else if !isNotExist(err) {
		return err
	}
	out := bufio.NewWriter(env.stdout)
	defer out.Flush()
	one := func(name string, raw []byte) error {
		m := mailbox.Parse(raw, mailbox.ParseOptions{OwnAddresses: own})
		r := c.ClassifyMessage(m)
		if r.Reasons == nil {
			r.Reasons = []string{}
		}
		return writeJSONLine(out, classifyLine{File: name, Result: r})
	}
	if len(pos) == 0 {
		raw, err := io.ReadAll(env.stdin)
		if err != nil {
			return fmt.Errorf("reading stdin: %w", err)
		}
		return one("-", raw)
	}
	var failed int
	for _, name := range pos {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		raw, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(env.stderr, "helpdesk classify: %v\n", err)
			failed++
			continue
		}
		if err := one(name, raw); err != nil {
			return err
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files could not be read", failed, len(pos))
	}
	return nil
}

// classifyEval prints accuracy, per-class precision/recall/F1 and the
// confusion matrices for DIR/labels.jsonl.
func classifyEval(env *cliEnv, args []string) error {
	fs := newFlags(env, "classify eval")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 1, "a directory holding labels.jsonl and the .eml files"); err != nil {
		return err
	}
	c, err := classify.New()
	if err != nil {
		return err
	}
	if cfg, err := loadConfig(env, *fs.config); err == nil {
		tc, err := tickets.OpenClassifier(cfg.DataDir)
		if err != nil {
			return err
		}
		c = tc.C
	}
	r, err := classify.Eval(c, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, r)
	}
	return r.WriteText(env.stdout)
}

// classifyTrain folds the agents' stored corrections into the model the
// daemon loads (data_dir/classifier/model.json).
func classifyTrain(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "classify train")
	_, a, err := fs.openWith(ctx, env, args, 0, "no arguments")
	if err != nil {
		return err
	}
	defer a.Close()
	n, path, err := a.svc.TrainCorrections(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "trained on the shipped corpus plus %d corrections; wrote %s (restart the daemon to use it)\n", n, path)
	return nil
}
