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
)

// classifyLine is the DESIGN.md JSON line of `helpdesk classify`.
type classifyLine struct {
	File       string   `json:"file"`
	Category   string   `json:"category"`
	RightsType *string  `json:"rights_type"`
	Automated  bool     `json:"automated"`
	Language   string   `json:"language"`
	Confidence float64  `json:"confidence"`
	Reasons    []string `json:"reasons"`
	Error      string   `json:"error,omitempty"`
}

func newClassifier(cfg *config.Config, log *slog.Logger) tickets.Classifier {
	return tickets.KeywordClassifier{}
}

func runClassify(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "classify")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	c := newClassifier(nil, nil)
	out := bufio.NewWriter(env.stdout)
	defer out.Flush()
	one := func(name string, raw []byte) error {
		m := mailbox.Parse(raw, mailbox.ParseOptions{})
		r := c.Classify(m)
		line := classifyLine{File: name, Category: r.Category, Automated: r.Automated || m.Automated,
			Language: r.Language, Confidence: r.Confidence, Reasons: r.Reasons}
		if r.RightsType != "" {
			rt := r.RightsType
			line.RightsType = &rt
		}
		if line.Reasons == nil {
			line.Reasons = []string{}
		}
		return writeJSONLine(out, line)
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
