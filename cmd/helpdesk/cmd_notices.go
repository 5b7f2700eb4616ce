package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"helpdesk/tickets"
)

// runNotices dispatches the notices subcommands.
func runNotices(ctx context.Context, env *cliEnv, args []string) error {
	sub, rest, err := splitSub(args, "create", "preview", "send", "status", "pause", "resume", "cancel", "list")
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		return noticesCreate(ctx, env, rest)
	case "preview":
		return noticesPreview(ctx, env, rest)
	case "status":
		return noticesStatus(ctx, env, rest)
	case "list":
		return noticesList(ctx, env, rest)
	default:
		return noticesAction(ctx, env, sub, rest)
	}
}

func noticesCreate(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "notices create")
	brand := fs.String("brand", "", "brand id (required)")
	title := fs.String("title", "", "notice title (required)")
	bodyFile := fs.String("body-file", "", "Markdown or text body (required; - for stdin)")
	lang := fs.String("lang", "", "language of --title and --body-file (default: the brand's)")
	effective := fs.String("effective", "", "YYYY-MM-DD the change takes effect, in the brand's zone (required)")
	core := fs.Bool("core-rights", false, "the change touches core rights: mandatory, sent to every customer, no unsubscribe")
	asJSON := fs.Bool("json", false, `print {"id": N}`)
	var translations multiFlag
	fs.Var(&translations, "translation", "LANG=FILE: the notice in another language (repeatable); a first line '# Title' is its title")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 0, "no arguments"); err != nil {
		return err
	}
	if *brand == "" || *title == "" || *bodyFile == "" || *effective == "" {
		return usageError{"--brand, --title, --body-file and --effective are required"}
	}
	body, err := readInput(env, *bodyFile)
	if err != nil {
		return err
	}
	in := tickets.NoticeInput{Brand: *brand, Title: *title, Body: string(body), Language: *lang, Effective: *effective,
		CoreRights: *core, CreatedBy: env.getenv("USER")}
	for _, tr := range translations {
		l, file, ok := strings.Cut(tr, "=")
		if !ok || l == "" || file == "" {
			return usageError{fmt.Sprintf("--translation %q: want LANG=FILE", tr)}
		}
		b, err := readInput(env, file)
		if err != nil {
			return err
		}
		t, text := splitTitle(string(b))
		in.Translations = append(in.Translations, tickets.NoticeTranslation{Language: l, Title: t, Body: text})
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	n, err := a.svc.CreateNotice(ctx, in)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLine(env.stdout, map[string]int64{"id": n.ID})
	}
	fmt.Fprintln(env.stdout, n.ID)
	return nil
}

// splitTitle takes a leading "# Title" line off a translation file.
func splitTitle(s string) (title, body string) {
	first, rest, _ := strings.Cut(strings.TrimLeft(s, "\ufeff\r\n"), "\n")
	if t, ok := strings.CutPrefix(strings.TrimSpace(first), "# "); ok {
		return strings.TrimSpace(t), rest
	}
	return "", s
}

func noticeID(pos []string) (int64, error) {
	if len(pos) != 1 {
		return 0, usageError{"expected one notice id"}
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, usageError{fmt.Sprintf("notice id %q is not a number", pos[0])}
	}
	return id, nil
}

func noticesPreview(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "notices preview")
	to := fs.String("to", "", "render as this customer receives it (required)")
	html := fs.Bool("html", false, "print the HTML part instead of the text")
	raw := fs.Bool("raw", false, "print the whole RFC 5322 message")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	id, err := noticeID(pos)
	if err != nil {
		return err
	}
	if *to == "" {
		return usageError{"--to EMAIL is required"}
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.svc.PreviewNotice(ctx, id, *to)
	if err != nil {
		return err
	}
	w := env.stdout
	if *raw {
		_, err := w.Write(p.Raw)
		return err
	}
	fmt.Fprintf(w, "To: %s\nLanguage: %s\nSubject: %s\n", p.To, p.Lang, p.Subject)
	for _, h := range p.Headers {
		fmt.Fprintf(w, "%s: %s\n", h[0], h[1])
	}
	fmt.Fprintln(w)
	if *html {
		fmt.Fprint(w, p.HTML)
	} else {
		fmt.Fprint(w, p.Text)
	}
	return nil
}

func noticesAction(ctx context.Context, env *cliEnv, action string, args []string) error {
	fs := newFlags(env, "notices "+action)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	id, a, err := openNotice(ctx, env, fs, args)
	if err != nil {
		return err
	}
	defer a.Close()
	if action == "send" {
		n, err := a.svc.ScheduleNotice(ctx, id)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSONLine(env.stdout, map[string]int64{"id": id, "recipients": n})
		}
		fmt.Fprintf(env.stdout, "notice %d scheduled for %d recipients; the daemon sends it (follow with: helpdesk notices status %d --follow)\n", id, n, id)
		return nil
	}
	n, err := a.svc.SetNoticeState(ctx, id, action)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSONLine(env.stdout, n)
	}
	fmt.Fprintf(env.stdout, "notice %d is %s\n", id, n.Status)
	return nil
}

func noticesList(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "notices list")
	asJSON := fs.Bool("json", false, "print a JSON array")
	_, a, err := fs.openWith(ctx, env, args, 0, "no arguments")
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.svc.ListNotices(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, list)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tBRAND\tSTATUS\tEFFECTIVE\tCORE\tRECIPIENTS\tTITLE")
	for _, n := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\t%d\t%s\n", n.ID, n.Brand, n.Status, n.EffectiveDate, n.CoreRights, n.Total, n.Title)
	}
	return tw.Flush()
}

func noticesStatus(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "notices status")
	asJSON := fs.Bool("json", false, "print one JSON object")
	follow := fs.Bool("follow", false, "show a progress bar until the send is done or cancelled")
	interval := fs.Duration("interval", time.Second, "how often --follow refreshes")
	id, a, err := openNotice(ctx, env, fs, args)
	if err != nil {
		return err
	}
	defer a.Close()
	p, err := a.svc.NoticeStatus(ctx, id)
	if err != nil {
		return err
	}
	if *follow {
		tty := isTerminal(env.stdout)
		// With --json the bar goes to stderr, so stdout carries only the result.
		w := env.stdout
		if *asJSON {
			w, tty = env.stderr, isTerminal(env.stderr)
		}
		for p.Status == tickets.NoticeSending || p.Status == tickets.NoticePaused || p.Status == tickets.NoticeDraft {
			drawProgress(w, p, tty)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(*interval):
			}
			if p, err = a.svc.NoticeStatus(ctx, id); err != nil {
				return err
			}
		}
		drawProgress(w, p, tty)
		if tty {
			fmt.Fprintln(w)
		}
	}
	if *asJSON {
		return writeJSON(env.stdout, p)
	}
	if *follow {
		return nil
	}
	fmt.Fprintf(env.stdout, "notice %d (%s) %s: %q\n", p.ID, p.Brand, p.Status, p.Title)
	fmt.Fprintf(env.stdout, "total %d  sent %d  failed %d  skipped %d  queued %d  sending %d  cancelled %d\n",
		p.Total, p.Counts[tickets.RecipientSent], p.Counts[tickets.RecipientFailed], p.Counts[tickets.RecipientSkipped],
		p.Counts[tickets.RecipientQueued], p.Counts[tickets.RecipientSending], p.Counts[tickets.RecipientCancelled])
	fmt.Fprintf(env.stdout, "rate %.1f/s  eta %s\n", p.Rate, etaText(p))
	return nil
}

func etaText(p *tickets.NoticeProgress) string {
	if p.ETA == nil {
		return "-"
	}
	return time.Duration(p.ETASecs * float64(time.Second)).Round(time.Second).String()
}

// drawProgress writes one progress line: redrawn in place with \r on a
// terminal, a plain line otherwise (logs, pipes).
func drawProgress(w io.Writer, p *tickets.NoticeProgress, tty bool) {
	done := p.Total - p.Remaining
	frac := 1.0
	if p.Total > 0 {
		frac = float64(done) / float64(p.Total)
	}
	const width = 30
	filled := int(frac * width)
	bar := strings.Repeat("#", filled) + strings.Repeat("-", width-filled)
	line := fmt.Sprintf("[%s] %5.1f%% %d/%d sent %d failed %d skipped %d  %.0f/s  eta %s  %s",
		bar, frac*100, done, p.Total, p.Counts[tickets.RecipientSent], p.Counts[tickets.RecipientFailed],
		p.Counts[tickets.RecipientSkipped], p.Rate, etaText(p), p.Status)
	if tty {
		fmt.Fprintf(w, "\r%s\x1b[K", line)
	} else {
		fmt.Fprintln(w, line)
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// customersImport is `customers import FILE.csv`: bad rows are reported
// on stderr by line and the good rows kept; the exit status is non-zero
// when any row was bad.
func customersImport(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "customers import")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 1, "one CSV file (columns email,name,language,brand)"); err != nil {
		return err
	}
	var r io.Reader = env.stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return fmt.Errorf("opening %s: %w", pos[0], err)
		}
		defer f.Close()
		r = f
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	res, err := a.svc.ImportCustomers(ctx, r)
	if res != nil {
		for _, p := range res.Problems {
			what := "bad row"
			if p.Skipped {
				what = "skipped"
			}
			fmt.Fprintf(env.stderr, "%s:%d: %s: %s\n", pos[0], p.Line, what, p.Reason)
		}
		if *asJSON {
			writeJSON(env.stdout, res)
		} else {
			fmt.Fprintf(env.stdout, "%d rows: %d created, %d updated, %d unchanged, %d skipped, %d bad\n",
				res.Rows, res.Created, res.Updated, res.Existing, len(res.Problems)-res.Bad(), res.Bad())
		}
	}
	if err != nil {
		return err
	}
	if bad := res.Bad(); bad > 0 {
		return fmt.Errorf("%d bad rows (listed above); the good rows were imported", bad)
	}
	return nil
}

// openNotice parses a command whose one argument is a notice id, and opens
// the app.
func openNotice(ctx context.Context, env *cliEnv, fs *flagSet, args []string) (int64, *app, error) {
	pos, err := fs.parse(args)
	if err != nil {
		return 0, nil, err
	}
	id, err := noticeID(pos)
	if err != nil {
		return 0, nil, err
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return 0, nil, err
	}
	return id, a, nil
}
