package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"helpdesk/mailbox"
	"helpdesk/tickets"
)

// printDemoVerification shows the verification mails, and the tickets the
// demo then verified as their customers would.
func printDemoVerification(w io.Writer, rep *demoReport) {
	fmt.Fprintf(w, "\nIdentity verification requested (%d)\n", len(rep.Verifications))
	for _, v := range rep.Verifications {
		fmt.Fprintf(w, "  %s -> %s: %s\n", v.Ref, v.To, v.Msg.Subject)
		fmt.Fprintf(w, "      | code %s\n", verifyCode(v.Msg))
		fmt.Fprintf(w, "      | link %s\n", verifyLink(v.Msg))
	}
	fmt.Fprintln(w, "(Access, correction and deletion requests from addresses that are not verified customers wait for the")
	fmt.Fprintln(w, "customer to confirm: no deadline runs and no acknowledgement goes out until then. The codes are shown")
	fmt.Fprintln(w, "because this is a demo; they went to the customers' addresses only.)")
	if len(rep.Verified) == 0 {
		return
	}
	fmt.Fprintf(w, "\nVerified as the customer would (%d)\n", len(rep.Verified))
	for _, v := range rep.Verified {
		t := v.Ticket
		fmt.Fprintf(w, "  %s  %s %s\n", t.Ref, t.Customer, v.How)
		fmt.Fprintf(w, "      now %s, first response due %s, resolution due %s\n", statusText(t.Status),
			demoDue(t.FirstResponseDue), demoDue(t.ResolutionDue))
		fmt.Fprintf(w, "      acknowledgement sent -> %s: %s\n", v.Ack.To, v.Ack.Msg.Subject)
	}
	if still := stillAwaiting(rep); len(still) > 0 {
		fmt.Fprintf(w, "%s still awaiting verification: nothing is due until the customer confirms.\n", strings.Join(still, ", "))
	}
}

// stillAwaiting lists the tickets that were sent a verification mail and
// that the demo did not verify.
func stillAwaiting(rep *demoReport) []string {
	done := map[string]bool{}
	for _, v := range rep.Verified {
		done[v.Ticket.Ref] = true
	}
	var out []string
	for _, v := range rep.Verifications {
		if !done[v.Ref] {
			out = append(out, v.Ref)
		}
	}
	return out
}

// demoVerified is a ticket the demo verified the way its customer would.
type demoVerified struct {
	Ticket tickets.TicketView // after verification
	How    string             // what the customer did
	Ack    demoSent           // the acknowledgement that followed
}

var (
	demoCodeRe = regexp.MustCompile(`(?m)^\s*(\d{8})\s*$`)
	demoLinkRe = regexp.MustCompile(`https?://[^\s<>"]+/verify/[A-Za-z0-9_-]+`)
)

// verifyCode reads the one-time code out of a verification mail, where it
// stands alone on its line; "" when there is none.
func verifyCode(m *mailbox.Message) string {
	if c := demoCodeRe.FindStringSubmatch(m.Text); c != nil {
		return c[1]
	}
	return ""
}

// verifyLink reads the verification link out of a verification mail.
func verifyLink(m *mailbox.Message) string { return demoLinkRe.FindString(m.Text) }

// verifyDemoTickets completes the identity verification of the first and
// the last ticket that awaits it, as their customers would: the first by
// the Confirm button behind the link in its verification mail (a POST),
// the last by replying to its verification mail with the code. It waits
// until both are open with deadlines and their acknowledgements have
// reached the SMTP server.
func verifyDemoTickets(ctx context.Context, a *app, srv *demoServers, d *demoDaemon, rep *demoReport, deadline time.Time) ([]demoVerified, error) {
	vs := rep.Verifications
	if len(vs) == 0 {
		return nil, nil
	}
	byLink := vs[0]
	refs, how := []string{byLink.Ref}, map[string]string{}
	if len(vs) > 1 {
		byMail := vs[len(vs)-1]
		code := verifyCode(byMail.Msg)
		if code == "" {
			return nil, fmt.Errorf("the verification mail of %s carries no code", byMail.Ref)
		}
		user := ""
		for _, t := range rep.Tickets {
			if t.Ref == byMail.Ref {
				user = t.Brand // the brand id is the demo IMAP user
			}
		}
		reply := demoCodeReply(user, byMail.Msg, code, time.Now())
		if err := srv.Append(reply.User, reply.Raw); err != nil {
			return nil, err
		}
		refs = append(refs, byMail.Ref)
		how[byMail.Ref] = "replied to the verification mail with the code (In-Reply-To: its Message-ID)"
	}
	link := verifyLink(byLink.Msg)
	if link == "" {
		return nil, fmt.Errorf("the verification mail of %s carries no link", byLink.Ref)
	}
	status, err := postVerifyLink(ctx, link, deadline)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, fmt.Errorf("confirming %s: POST on the verification link answered HTTP %d", byLink.Ref, status)
	}
	how[byLink.Ref] = fmt.Sprintf("opened the link and pressed Confirm (POST, HTTP %d)", status)
	return waitVerified(ctx, a, srv, d, refs, how, deadline)
}

// postVerifyLink submits the confirmation form behind a verification link
// as a browser does. The daemon's listener starts with it, so a refused
// connection is retried until the deadline.
func postVerifyLink(ctx context.Context, link string, deadline time.Time) (int, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, link, strings.NewReader(""))
		if err != nil {
			return 0, fmt.Errorf("verification link: %w", err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			return resp.StatusCode, nil
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return 0, fmt.Errorf("posting the verification link: %w", err)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// waitVerified waits until every ticket in refs is open with both
// deadlines and its acknowledgement has reached the SMTP server.
func waitVerified(ctx context.Context, a *app, srv *demoServers, d *demoDaemon, refs []string, how map[string]string, deadline time.Time) ([]demoVerified, error) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		list, err := a.svc.ListTickets(ctx, tickets.ListFilter{})
		if err != nil {
			return nil, err
		}
		acks, err := demoSentKind(ctx, a, srv, "ack")
		if err != nil {
			return nil, err
		}
		var out []demoVerified
		var waiting []string
		for _, ref := range refs {
			v := demoVerified{How: how[ref]}
			found, acked := false, false
			for _, tv := range list {
				if tv.Ref == ref {
					v.Ticket, found = tv, true
				}
			}
			for _, k := range acks {
				if k.Ref == ref {
					v.Ack, acked = k, true
				}
			}
			if !found || !acked || v.Ticket.Status != tickets.StatusOpen || v.Ticket.FirstResponseDue == nil || v.Ticket.ResolutionDue == nil {
				waiting = append(waiting, ref)
				continue
			}
			out = append(out, v)
		}
		if len(waiting) == 0 {
			return out, nil
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("timed out after %s: %s not open and acknowledged after verification (run with --verbose to see the daemon's log)",
				demoTimeout, strings.Join(waiting, ", "))
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-d.done:
			return nil, fmt.Errorf("the daemon stopped early: %v", d.err)
		case <-t.C:
		}
	}
}
