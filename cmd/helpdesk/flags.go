package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"helpdesk/mailbox/smtpsend"
)

// flagSet is a flag.FlagSet that accepts flags anywhere among the
// positional arguments (`tickets show XY-1 --json`) and carries the flags
// every subcommand shares.
type flagSet struct {
	*flag.FlagSet
	config *string
}

func newFlags(env *cliEnv, name string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	def := env.getenv("HELPDESK_CONFIG")
	if def == "" {
		def = "helpdesk.yaml"
	}
	return &flagSet{FlagSet: fs, config: fs.String("config", def, "configuration file")}
}

// parse parses flags interspersed with positionals and returns the
// positionals.
func (f *flagSet) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			return nil, usageError{err.Error()}
		}
		rest := f.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// newLogger builds the slog logger on stderr.
func newLogger(w io.Writer, level, format string) *slog.Logger {
	var lv slog.Level
	switch strings.ToLower(level) {
	case "debug":
		lv = slog.LevelDebug
	case "warn":
		lv = slog.LevelWarn
	case "error":
		lv = slog.LevelError
	default:
		lv = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func requireArgs(pos []string, n int, what string) error {
	if len(pos) != n {
		return usageError{fmt.Sprintf("expected %s", what)}
	}
	return nil
}

// writeJSONLine writes v as one compact JSON line.
func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// readInput reads a file, or stdin for "-".
func readInput(env *cliEnv, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(env.stdin)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return b, nil
}

func readAttachment(path string) (smtpsend.Attachment, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return smtpsend.Attachment{}, fmt.Errorf("reading attachment: %w", err)
	}
	ct := mime.TypeByExtension(filepath.Ext(path))
	if ct == "" {
		ct = http.DetectContentType(b)
	}
	return smtpsend.Attachment{Filename: filepath.Base(path), ContentType: ct, Content: b}, nil
}

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
