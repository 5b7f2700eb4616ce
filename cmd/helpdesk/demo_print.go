package main

import (
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"time"
)

// printDemoNext says how to go on: how to feed the running demo and the
// commands that read its database. awaiting are the tickets whose
// verification link the user may still open.
func printDemoNext(w io.Writer, srv *demoServers, dir, example string, awaiting []string, once, keep bool) {
	cmd := "helpdesk"
	cfgArg := "--config " + shellQuote(filepath.Join(dir, "helpdesk.yaml"))
	if once {
		if keep {
			fmt.Fprintf(w, "\nThe demo database is kept in %s. Inspect it with:\n", dir)
			fmt.Fprintf(w, "  %s tickets list %s\n  %s tickets show %s %s\n", cmd, cfgArg, cmd, example, cfgArg)
			fmt.Fprintln(w, "(The demo's IMAP and SMTP servers are gone: serve and poll cannot connect with this config.)")
		}
		return
	}
	_, smtpPort, _ := net.SplitHostPort(srv.SMTPAddr)
	fmt.Fprintf(w, "\nThe daemon keeps running. Deliver more mail by SMTP to %s, addressed to\n", srv.SMTPAddr)
	fmt.Fprintf(w, "%s or %s, for example:\n", demoXiyueAddr, demoHomegoodsAddr)
	fmt.Fprintf(w, "  curl -s smtp://127.0.0.1:%s --mail-from you@example.com --mail-rcpt %s --upload-file mail.eml\n", smtpPort, demoHomegoodsAddr)
	fmt.Fprintf(w, "or APPEND it over IMAP at %s (users xiyue and homegoods, password %q).\n", srv.IMAPAddr, demoPassword)
	if len(awaiting) > 0 {
		fmt.Fprintf(w, "Open the verification link of %s above in a browser and press Confirm to verify it yourself.\n", strings.Join(awaiting, ", "))
	}
	fmt.Fprintln(w, "\nIn another terminal, while the demo runs:")
	fmt.Fprintf(w, "  %s tickets list %s\n", cmd, cfgArg)
	fmt.Fprintf(w, "  %s tickets show %s %s\n", cmd, example, cfgArg)
	fmt.Fprintf(w, "  echo 'Thank you, we are on it.' | %s tickets reply %s --body-file - %s\n", cmd, example, cfgArg)
	fmt.Fprintf(w, "  %s sla due --from %s --target 3bd %s\n", cmd, time.Now().Format(time.RFC3339), cfgArg)
	fmt.Fprintln(w, "(the running demo sends replies through its SMTP server; the IMAP and SMTP servers live only while it runs)")
	if keep {
		fmt.Fprintf(w, "%s is kept at exit.\n", dir)
	} else {
		fmt.Fprintf(w, "%s is removed at exit (--keep keeps it).\n", dir)
	}
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == ':' ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
