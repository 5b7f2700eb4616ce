// Command helpdesk is the customer-service email helpdesk daemon and its
// command-line tools. `helpdesk help` lists the subcommands; DESIGN.md
// holds the contract they keep.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand. run gets the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

// cliEnv carries the process's streams so commands are testable.
type cliEnv struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	getenv         func(string) string
}

// usageError makes the process exit 2 and print the usage hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() []command {
	return []command{
		{"serve", "run the daemon: ingest (IDLE/poll), outbox, scheduler, HTTP", runServe},
		{"poll", "poll --once: one ingest pass over every brand, drain the outbox, exit", runPoll},
		{"migrate", "apply database migrations", runMigrate},
		{"config", "config check: load and validate the configuration", runConfig},
		{"tickets", "tickets list|show|reply|set", runTickets},
		{"classify", "classify [FILE.eml ...] | classify eval DIR | classify train", runClassify},
		{"sla", "sla due --from T --target D [--brand B]", runSLA},
		{"templates", "templates list | templates preview NAME [--ticket REF] [--lang L]", runTemplates},
		{"customers", "customers import FILE.csv | export EMAIL --out F.zip | erase EMAIL | show | update | consent", runCustomers},
		{"notices", "notices create|preview|send|status|pause|resume|cancel|list", runNotices},
		{"retention", "retention run [--dry-run]", runRetention},
		{"audit", "audit list [--customer EMAIL]", runAudit},
		{"demo", "run the whole product in one process on embedded defaults", runDemo},
	}
}

// defaultMemoryLimit is the Go heap's soft limit unless GOMEMLIMIT is set.
// Near it the collector works harder instead of letting the heap grow to
// twice the live data. Since large messages are held outside the Go heap
// it is a safety net rather than the bound: BenchmarkPollOnceBinary
// (10,000 messages and one with a 25 MB attachment) peaks at 126 MB
// without it and 131-140 MB with it, within the noise.
const defaultMemoryLimit = 96 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := &cliEnv{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin, getenv: os.Getenv}
	code := run(ctx, env, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, env *cliEnv, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(env.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		if err == nil {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(env.stderr, "helpdesk %s: %v\n", c.name, err)
			return 2
		}
		if errors.Is(err, context.Canceled) && ctx.Err() != nil {
			return 130
		}
		fmt.Fprintf(env.stderr, "helpdesk %s: %v\n", c.name, err)
		return 1
	}
	fmt.Fprintf(env.stderr, "helpdesk: unknown command %q (see helpdesk help)\n", args[0])
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: helpdesk COMMAND [--config FILE] [flags]")
	fmt.Fprintln(w, "\ncommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n--config defaults to helpdesk.yaml, or $HELPDESK_CONFIG.")
}

// splitSub returns the subcommand word and the rest.
func splitSub(args []string, allowed ...string) (string, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", nil, usageError{"missing subcommand: one of " + strings.Join(allowed, ", ")}
	}
	for _, a := range allowed {
		if a == args[0] {
			return a, args[1:], nil
		}
	}
	return "", nil, usageError{fmt.Sprintf("unknown subcommand %q: one of %s", args[0], strings.Join(allowed, ", "))}
}
