package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
)

func runTemplates(ctx context.Context, env *cliEnv, args []string) error {
	sub, rest, err := splitSub(args, "list", "preview")
	if err != nil {
		return err
	}
	fs := newFlags(env, "templates "+sub)
	brand := fs.String("brand", "", "brand whose templates to use (default: the first)")
	asJSON := fs.Bool("json", false, "JSON output")
	ref := fs.String("ticket", "", "preview: fill in this ticket's data")
	lang := fs.String("lang", "", "preview: language (default: the ticket's, else the brand's)")
	pos, err := fs.parse(rest)
	if err != nil {
		return err
	}
	a, err := openApp(ctx, env, *fs.config)
	if err != nil {
		return err
	}
	defer a.Close()
	if *brand == "" {
		*brand = a.cfg.Brands[0].ID
	}
	set := a.svc.Templates(*brand)
	if set == nil {
		return fmt.Errorf("unknown brand %q", *brand)
	}
	if sub == "list" {
		if err := requireArgs(pos, 0, "no arguments"); err != nil {
			return err
		}
		list := set.List()
		if *asJSON {
			return writeJSON(env.stdout, list)
		}
		tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tLANGUAGES\tHTML\tSOURCE")
		for _, i := range list {
			fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", i.Name, strings.Join(i.Langs, ","), i.HasHTML, i.Source)
		}
		return tw.Flush()
	}
	if err := requireArgs(pos, 1, "one template name (see templates list)"); err != nil {
		return err
	}
	r, err := a.svc.PreviewTemplate(ctx, *brand, pos[0], *lang, *ref)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.stdout, r)
	}
	fmt.Fprintf(env.stdout, "Subject: %s\nLanguage: %s\n\n%s\n", r.Subject, r.Lang, r.Text)
	if r.HTML != "" {
		fmt.Fprintf(env.stdout, "\n--- HTML part (%d bytes) ---\n%s\n", len(r.HTML), r.HTML)
	}
	return nil
}
