package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"helpdesk/tickets"
)

func runTickets(ctx context.Context, env *cliEnv, args []string) error {
	sub, rest, err := splitSub(args, "list", "show", "reply", "set")
	if err != nil {
		return err
	}
	switch sub {
	case "list":
		return ticketsList(ctx, env, rest)
	case "reply":
		return ticketsReply(ctx, env, rest)
	case "set":
		return ticketsSet(ctx, env, rest)
	default:
		return ticketsShow(ctx, env, rest)
	}
}

func ticketsReply(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "tickets reply")
	bodyFile := fs.String("body-file", "", "file with the reply text (- for stdin)")
	tmpl := fs.String("template", "", "send this template instead of free text (e.g. resolved)")
	status := fs.String("status", "", "then set the status: pending or resolved")
	agent := fs.String("agent", env.getenv("USER"), "who is replying (recorded)")
	var attach multiFlag
	fs.Var(&attach, "attach", "attach a file (repeatable)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 1, "one ticket reference"); err != nil {
		return err
	}
	if (*bodyFile == "") == (*tmpl == "") {
		return usageError{"give exactly one of --body-file or --template"}
	}
	o := tickets.ReplyOptions{Template: *tmpl, Status: *status, Agent: *agent}
	if *bodyFile != "" {
		b, err := readInput(env, *bodyFile)
		if err != nil {
			return err
		}
		o.Body = string(b)
	}
	for _, path := range attach {
		a, err := readAttachment(path)
		if err != nil {
			return err
		}
		o.Attachments = append(o.Attachments, a)
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	row, err := a.svc.Reply(ctx, pos[0], o)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "queued reply %s to %s\n", row.MessageID, row.Rcpt)
	return nil
}

func ticketsSet(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "tickets set")
	category := fs.String("category", "", "product, logistics, rights or other")
	rights := fs.String("rights-type", "", "for rights: access, correction, deletion, consent_withdrawal, complaint")
	agent := fs.String("agent", env.getenv("USER"), "who made the correction (recorded)")
	asJSON := fs.Bool("json", false, "print the ticket as JSON")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 1, "one ticket reference"); err != nil {
		return err
	}
	if *category == "" {
		return usageError{"--category is required"}
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.svc.SetCategory(ctx, pos[0], *category, *rights, *agent)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, t)
	}
	due := "-"
	if t.ResolutionDue != nil {
		due = t.ResolutionDue.Format(time.RFC3339)
	}
	fmt.Fprintf(env.stdout, "%s: category %s, resolution due %s\n", t.Ref, *category+suffix(*rights), due)
	return nil
}

func suffix(rt string) string {
	if rt == "" {
		return ""
	}
	return "/" + rt
}

func ticketsList(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "tickets list")
	asJSON := fs.Bool("json", false, "print a JSON array")
	status := fs.String("status", "", "only tickets with this status")
	category := fs.String("category", "", "only tickets in this category")
	brand := fs.String("brand", "", "only tickets of this brand")
	dueBefore := fs.String("due-before", "", "only tickets with a deadline before this RFC3339 instant")
	limit := fs.Int("limit", 0, "at most N tickets (0 = all)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 0, "no arguments"); err != nil {
		return err
	}
	f := tickets.ListFilter{Status: *status, Category: *category, Brand: *brand, Limit: *limit}
	if *dueBefore != "" {
		t, err := time.Parse(time.RFC3339, *dueBefore)
		if err != nil {
			return usageError{fmt.Sprintf("--due-before: %v", err)}
		}
		f.DueBefore = &t
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.svc.ListTickets(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, list)
	}
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "REF\tSTATUS\tCATEGORY\tCUSTOMER\tRESOLUTION DUE\tSUBJECT")
	for _, t := range list {
		cat := t.Category
		if t.RightsType != nil {
			cat += "/" + *t.RightsType
		}
		due := "-"
		if t.ResolutionDue != nil {
			due = t.ResolutionDue.Format("2006-01-02 15:04 MST")
			if t.Breached {
				due += " BREACHED"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Ref, t.Status, cat, t.Customer, due, oneLine(t.Subject, 60))
	}
	return tw.Flush()
}

func ticketsShow(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "tickets show")
	asJSON := fs.Bool("json", false, "print one JSON object")
	pos, a, err := fs.openWith(ctx, env, args, 1, "one ticket reference, e.g. XY-1042")
	if err != nil {
		return err
	}
	defer a.Close()
	t, err := a.svc.ShowTicket(ctx, pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, t)
	}
	w := env.stdout
	fmt.Fprintf(w, "%s  %s\n", t.Ref, t.Subject)
	cat := t.Category
	if t.RightsType != nil {
		cat += "/" + *t.RightsType
	}
	fmt.Fprintf(w, "brand: %s  customer: %s  status: %s  category: %s  language: %s\n", t.Brand, t.Customer, t.Status, cat, t.Language)
	if t.FirstResponseDue != nil {
		fmt.Fprintf(w, "first response due: %s\n", t.FirstResponseDue.Format(time.RFC3339))
	}
	if t.ResolutionDue != nil {
		fmt.Fprintf(w, "resolution due:     %s\n", t.ResolutionDue.Format(time.RFC3339))
	}
	for _, m := range t.Messages {
		arrow := "<-"
		if m.Direction == "out" {
			arrow = "->"
		}
		fmt.Fprintf(w, "\n%s %s  %s  %s\n", arrow, m.Date.Format("2006-01-02 15:04"), m.From, m.Subject)
		if d := m.Delivery; d != nil {
			fmt.Fprintf(w, "   [%s%s]\n", d.Status, map[bool]string{true: ": " + d.Error, false: ""}[d.Error != ""])
		}
		fmt.Fprintln(w, indent(m.Text))
	}
	return nil
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}
