package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"helpdesk/tickets"
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
	fs := newFlags(env, "customers "+sub)
	brand := fs.String("brand", "", "only this brand (default: every brand the address is a customer of)")
	asJSON := fs.Bool("json", false, "print JSON")
	agent := fs.String("agent", env.getenv("USER"), "who is acting (recorded in the audit log)")
	out := fs.String("out", "", "export: the zip file to write")
	name := fs.String("name", "", "update: new name")
	email := fs.String("email", "", "update: new email address")
	phone := fs.String("phone", "", "update: new phone number")
	address := fs.String("address", "", "update: new postal address")
	orderStatus := fs.String("order-status", "", "consent: on|off")
	marketing := fs.String("marketing", "", "consent: on|off")
	notices := fs.String("notices", "", "consent: on|off")
	var purposes multiFlag
	fs.Var(&purposes, "purpose", "consent: PURPOSE=on|off for a brand-configured purpose (repeatable)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := requireArgs(pos, 1, "one EMAIL argument"); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	who := *agent
	if who == "" {
		who = "cli"
	}
	if sub == "export" && *out == "" {
		return usageError{"export needs --out FILE.zip"}
	}
	changes := map[string]bool{}
	if sub == "consent" {
		for flagName, v := range map[string]string{"order_status": *orderStatus, "marketing": *marketing, "notices": *notices} {
			if v == "" {
				continue
			}
			b, err := onOff(v)
			if err != nil {
				return err
			}
			changes[flagName] = b
		}
		for _, p := range purposes {
			k, v, ok := strings.Cut(p, "=")
			b, err := onOff(v)
			if !ok || err != nil {
				return usageError{fmt.Sprintf("--purpose wants NAME=on|off (got %q)", p)}
			}
			changes[k] = b
		}
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	switch sub {
	case "show":
		vs, err := a.svc.ShowCustomer(ctx, pos[0], *brand)
		if err != nil {
			return err
		}
		return printCustomers(env.stdout, vs, *asJSON)
	case "consent":
		var vs []tickets.CustomerView
		if len(changes) == 0 {
			vs, err = a.svc.ShowCustomer(ctx, pos[0], *brand)
		} else {
			vs, err = a.svc.SetConsent(ctx, pos[0], *brand, changes, who)
		}
		if err != nil {
			return err
		}
		return printCustomers(env.stdout, vs, *asJSON)
	case "update":
		var u tickets.CustomerUpdate
		pick := func(flagName string, v *string) *string {
			if set[flagName] {
				return v
			}
			return nil
		}
		u.Name, u.Email, u.Phone, u.Address = pick("name", name), pick("email", email), pick("phone", phone), pick("address", address)
		if u.Name == nil && u.Email == nil && u.Phone == nil && u.Address == nil {
			return usageError{"update needs at least one of --name, --email, --phone, --address"}
		}
		v, changed, err := a.svc.UpdateCustomer(ctx, pos[0], *brand, u, who)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.stdout, map[string]any{"customer": v, "changed": changed})
		}
		fmt.Fprintf(env.stdout, "updated %s (%s): %s\n", v.Email, v.Brand, strings.Join(changed, ", "))
		return nil
	case "export":
		return exportCustomer(ctx, env, a, pos[0], *brand, who, *out, *asJSON)
	case "erase":
		rep, err := a.svc.EraseCustomer(ctx, pos[0], *brand, who)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.stdout, rep)
		}
		for _, b := range rep.Brands {
			fmt.Fprintf(env.stdout, "brand %s: deleted %v; anonymized %v\n", b.Brand, b.Deleted, b.Anonymized)
			for _, k := range b.Kept {
				fmt.Fprintf(env.stdout, "  kept %s (%s): %s\n", k.Ticket, k.Category, k.Reason)
			}
		}
		return nil
	}
	return nil
}

func exportCustomer(ctx context.Context, env *cliEnv, a *app, email, brand, who, out string, asJSON bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".export-*.zip")
	if err != nil {
		return fmt.Errorf("creating %s: %w", out, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	idx, err := a.svc.ExportCustomer(ctx, email, brand, who, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), out); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	if asJSON {
		return writeJSON(env.stdout, map[string]any{"out": out, "tickets": len(idx.Tickets), "files": len(idx.Files)})
	}
	fmt.Fprintf(env.stdout, "%s: %d tickets, %d files (attach it with: helpdesk tickets reply REF --attach %s ...)\n",
		out, len(idx.Tickets), len(idx.Files), out)
	return nil
}

func onOff(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "on", "true", "yes":
		return true, nil
	case "off", "false", "no":
		return false, nil
	}
	return false, usageError{fmt.Sprintf("want on or off (got %q)", v)}
}

func printCustomers(w io.Writer, vs []tickets.CustomerView, asJSON bool) error {
	if asJSON {
		return writeJSON(w, vs)
	}
	for _, v := range vs {
		verified := "no"
		if v.VerifiedAt != nil {
			verified = v.VerifiedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "%s (%s)\n  name: %s\n  phone: %s\n  address: %s\n  language: %s\n  verified: %s\n  tickets: %s\n  consent:",
			v.Email, v.Brand, v.Name, v.Phone, v.Address, v.Language, verified, strings.Join(v.Tickets, " "))
		for _, p := range sortedKeys(v.Consent) {
			state := "on"
			if !v.Consent[p] {
				state = "off"
			}
			fmt.Fprintf(w, " %s=%s", p, state)
		}
		fmt.Fprintln(w)
	}
	return nil
}

func runRetention(ctx context.Context, env *cliEnv, args []string) error {
	_, rest, err := splitSub(args, "run")
	if err != nil {
		return err
	}
	fs := newFlags(env, "retention run")
	dry := fs.Bool("dry-run", false, "report what would go, delete nothing")
	asJSON := fs.Bool("json", false, "print JSON")
	_, a, err := fs.openWith(ctx, env, rest, 0, "no arguments")
	if err != nil {
		return err
	}
	defer a.Close()
	actor := env.getenv("USER")
	if actor == "" {
		actor = "cli"
	}
	rep, err := a.svc.RunRetention(ctx, *dry, actor)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, rep)
	}
	verb := "deleted"
	if *dry {
		verb = "would delete"
	}
	for _, c := range rep.Brands {
		fmt.Fprintf(env.stdout, "%s: %s %d tickets, %d raw mails, %d attachments\n", c.Brand, verb, c.Tickets, c.RawMail, c.Attachments)
	}
	return nil
}

func runAudit(ctx context.Context, env *cliEnv, args []string) error {
	_, rest, err := splitSub(args, "list")
	if err != nil {
		return err
	}
	fs := newFlags(env, "audit list")
	customer := fs.String("customer", "", "only entries about this email address (matched by its keyed hash)")
	action := fs.String("action", "", "only actions starting with this, e.g. verification")
	limit := fs.Int("limit", 0, "at most N entries (default: all)")
	asJSON := fs.Bool("json", false, "print JSON")
	_, a, err := fs.openWith(ctx, env, rest, 0, "no arguments")
	if err != nil {
		return err
	}
	defer a.Close()
	es, err := a.svc.AuditList(ctx, tickets.AuditFilter{Customer: *customer, Action: *action, Limit: *limit})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, es)
	}
	for _, e := range es {
		subj := e.SubjectHash
		if len(subj) > 12 {
			subj = subj[:12]
		}
		fmt.Fprintf(env.stdout, "%s  %-10s %-22s %-10s %-12s %-10s %s\n", e.At.Format("2006-01-02T15:04:05Z"), e.Actor,
			e.Action, e.Brand, subj, e.TicketRef, e.Detail)
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
