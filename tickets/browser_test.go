package tickets

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/audits"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"helpdesk/mailbox/smtptest"
)

// The browser tests open the daemon's two public pages (the verification
// link and the unsubscribe link) in a real headless Chromium, under the
// daemon's own Content-Security-Policy, and click their buttons as a
// customer would. They need HELPDESK_TEST_CHROMIUM (scripts/services.sh
// installs Debian's chromium and prints it); without it they skip.

// browserTimeout bounds one whole browser test, so that a hung browser
// fails the test instead of the package's timeout.
const browserTimeout = 60 * time.Second

// startBrowser starts a headless Chromium with a fresh profile and returns
// the context of its first tab; the browser stops at the test's cleanup.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := os.Getenv("HELPDESK_TEST_CHROMIUM")
	if exe == "" {
		t.Skip("browser tests skipped: HELPDESK_TEST_CHROMIUM is not set (scripts/services.sh start installs Debian's chromium; then eval \"$(scripts/services.sh env)\")")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // as root in a container there is no usable sandbox
		chromedp.DisableGPU,
		// The machine has no outside network: without these Chromium keeps
		// trying to reach its update and sync services.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(800, 600),
	)
	// The cleanups run in reverse order: the browser stops (and its
	// process is waited for) before the profile directory is removed.
	timeout, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	t.Cleanup(cancelTimeout)
	alloc, cancelAlloc := chromedp.NewExecAllocator(timeout, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	return ctx
}

// tab is one browser tab that records what its pages report: console and
// browser-log messages, and Content-Security-Policy violations (as log
// entries and as DevTools issues).
type tab struct {
	t   *testing.T
	ctx context.Context
	dir string // where screenshots go

	mu      sync.Mutex
	console []string
	csp     []string
}

func newTab(t *testing.T, browser context.Context) *tab {
	t.Helper()
	tb := &tab{t: t, dir: t.TempDir()}
	if d := os.Getenv("HELPDESK_TEST_SCREENSHOTS"); d != "" {
		tb.dir = d // keep them for a look
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithListener(tb.record))
	t.Cleanup(cancel)
	tb.ctx = ctx
	// Audits reports each CSP violation as an issue, whatever the console says.
	if err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, audits.Enable, cdp.Empty{})
		return err
	})); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return tb
}

// record runs on the tab's reading goroutine: it only appends.
func (tb *tab) record(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch e := ev.(type) {
	case *log.EventEntryAdded:
		msg := fmt.Sprintf("log %s/%s: %s", e.Entry.Source, e.Entry.Level, e.Entry.Text)
		tb.console = append(tb.console, msg)
		if strings.Contains(e.Entry.Text, "Content Security Policy") {
			tb.csp = append(tb.csp, msg)
		}
	case *runtime.EventConsoleAPICalled:
		tb.console = append(tb.console, fmt.Sprintf("console.%s (%d args)", e.Type, len(e.Args)))
	case *runtime.EventExceptionThrown:
		tb.console = append(tb.console, "exception: "+e.ExceptionDetails.Text)
	case *audits.EventIssueAdded:
		if e.Issue != nil && e.Issue.Code == audits.InspectorIssueCodeContentSecurityPolicyIssue {
			d := e.Issue.Details.ContentSecurityPolicyIssueDetails
			msg := "issue: CSP"
			if d != nil {
				msg = fmt.Sprintf("issue: CSP %s violates %q (%s)", d.BlockedURL, d.ViolatedDirective, d.ContentSecurityPolicyViolationType)
			}
			tb.csp = append(tb.csp, msg)
		}
	}
}

// cspViolations returns the violations seen so far. A round trip first
// lets every event the browser sent before it reach record.
func (tb *tab) cspViolations() []string {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int]("1")); err != nil {
		tb.t.Fatal(err)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.csp...)
}

// noCSPViolations fails the test if any page of the tab broke the policy.
func (tb *tab) noCSPViolations() {
	tb.t.Helper()
	v := tb.cspViolations()
	tb.mu.Lock()
	all := strings.Join(tb.console, "\n  ")
	tb.mu.Unlock()
	if len(v) > 0 {
		tb.t.Errorf("CSP violations:\n  %s\nconsole:\n  %s", strings.Join(v, "\n  "), all)
	} else {
		tb.t.Logf("console (no CSP violations):\n  %s", all)
	}
}

// page is what the browser shows after a navigation or a click.
type page struct {
	status int
	title  string
	text   string // the body's visible text
	html   string // the whole DOM, serialized
}

// load runs the steps (a navigation or a click that submits a form), waits
// for the new document and reads it.
func (tb *tab) load(what string, steps ...chromedp.Action[chromedp.Void]) page {
	tb.t.Helper()
	res, err := chromedp.RunResponse(tb.ctx, steps...)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	p := page{status: int(res.Status)}
	if p.title, err = chromedp.Run(tb.ctx, chromedp.Title()); err != nil {
		tb.t.Fatalf("%s: title: %v", what, err)
	}
	if p.text, err = chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("body"))); err != nil {
		tb.t.Fatalf("%s: text: %v", what, err)
	}
	if p.html, err = chromedp.Run(tb.ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err != nil {
		tb.t.Fatalf("%s: html: %v", what, err)
	}
	return p
}

func (tb *tab) open(url string) page {
	tb.t.Helper()
	return tb.load("GET "+url, chromedp.Navigate(url))
}

// click presses the visible submit button with this label, as a user would
// (a mouse click on its box), and returns the page the form's POST answers.
func (tb *tab) click(label string) page {
	tb.t.Helper()
	btn := chromedp.JSPath(fmt.Sprintf(`[...document.querySelectorAll('form button[type=submit]')].filter(b => b.textContent.trim() === %q)`, label))
	if _, err := chromedp.Run(tb.ctx, chromedp.WaitVisible(btn)); err != nil {
		tb.t.Fatalf("no visible %q button: %v", label, err)
	}
	return tb.load("clicking "+label, chromedp.Click(btn))
}

// screenshot saves the viewport as name.png and checks that it is a PNG
// with something drawn on it (more than one colour).
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(tb.dir, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		tb.t.Fatalf("screenshot %s is not a PNG: %v", name, err)
	}
	if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 || !drawnOn(img) {
		tb.t.Errorf("screenshot %s (%v) is blank", path, b)
	}
}

// drawnOn reports whether the image has at least two colours.
func drawnOn(img image.Image) bool {
	b := img.Bounds()
	r0, g0, b0, _ := img.At(b.Min.X, b.Min.Y).RGBA()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			if r, g, bl, _ := img.At(x, y).RGBA(); r != r0 || g != g0 || bl != b0 {
				return true
			}
		}
	}
	return false
}

func (tb *tab) eval(expr string) int {
	tb.t.Helper()
	n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		tb.t.Fatalf("%s: %v", expr, err)
	}
	return n
}

func (tb *tab) evalString(expr string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		tb.t.Fatalf("%s: %v", expr, err)
	}
	return s
}

func wantText(t *testing.T, what string, p page, status int, title string, texts ...string) {
	t.Helper()
	if p.status != status || p.title != title {
		t.Errorf("%s: status %d title %q, want %d %q", what, p.status, p.title, status, title)
	}
	for _, s := range texts {
		if !strings.Contains(p.text, s) {
			t.Errorf("%s: page does not say %q:\n%s", what, s, p.text)
		}
	}
}

// TestBrowserVerificationLink: the customer opens the link of the
// verification mail, sees a confirm page that says nothing about them, and
// only the click verifies; the link then works no more.
func TestBrowserVerificationLink(t *testing.T) {
	browser := startBrowser(t)
	e := newPrivacyEnv(t, "sqlite", nil)
	e.deliver(pmail{from: "ann.lee@example.com", name: "Ann Lee", subject: "Please delete my personal data", body: deletionBody})
	rows := e.outbox("XY-1001", "verify")
	if len(rows) != 1 {
		t.Fatalf("verification mails = %d, want 1", len(rows))
	}
	text := e.mailText(rows[0])
	link := verifyLink.FindString(text)
	if link == "" {
		t.Fatalf("no link in:\n%s", text)
	}
	srv := httptest.NewServer(e.svc.HTTPHandler())
	t.Cleanup(srv.Close)
	queuedAcks := func() int {
		n := 0
		for _, r := range e.outbox("XY-1001", "ack") {
			if r.Status == OutboxQueued {
				n++
			}
		}
		return n
	}
	tb := newTab(t, browser)

	p := tb.open(srv.URL + link)
	wantText(t, "confirm page", p, http.StatusOK, "Verification", "Please confirm that you made this request.")
	for _, secret := range []string{"ann.lee", "Ann", "Lee", "example.com", "XY-1001", "delete", "xiyue"} {
		if strings.Contains(p.html, secret) {
			t.Errorf("confirm page shows %q:\n%s", secret, p.html)
		}
	}
	// The page's inline style (allowed by style-src 'unsafe-inline') applies.
	if w := tb.evalString("getComputedStyle(document.body).maxWidth"); w == "none" {
		t.Errorf("inline style not applied: body max-width %s", w)
	}
	tb.screenshot("verify-confirm")
	if tk := e.ticket("XY-1001"); tk.Status != StatusAwaitingVerification || tk.ResolutionDue != nil {
		t.Fatalf("loading the page changed the ticket: %s, due %v", tk.Status, tk.ResolutionDue)
	}
	if n := queuedAcks(); n != 0 {
		t.Fatalf("%d acknowledgements queued before verification", n)
	}

	p = tb.click("Confirm")
	wantText(t, "after confirm", p, http.StatusOK, "Verification", "your request is verified")
	tb.screenshot("verify-done")
	tk := e.ticket("XY-1001")
	if tk.Status != StatusOpen || tk.SLAStartedAt == nil || tk.ResolutionDue == nil || !tk.SLAStartedAt.Equal(e.clock()) {
		t.Errorf("after confirm: status %s, clock %v, due %v", tk.Status, tk.SLAStartedAt, tk.ResolutionDue)
	}
	if n := queuedAcks(); n != 1 {
		t.Errorf("%d acknowledgements queued after verification, want 1", n)
	}

	// The same link again (a second click, or the mail opened later).
	p = tb.open(srv.URL + link)
	wantText(t, "used link", p, http.StatusOK, "Verification", "Please confirm")
	p = tb.click("Confirm")
	wantText(t, "used link", p, http.StatusGone, "Verification", "This link was already used.")
	tb.screenshot("verify-used")

	// A made-up token, and one that tries to inject markup into the form.
	// (No "/" in it: the form's action is HTML-escaped, not path-escaped,
	// so a decoded slash would post to another route; real tokens are
	// base64url and never hold one.)
	for _, bad := range []string{"/verify/not-a-token", "/verify/%22%3E%3Cb%20id=x%3Ebold%3Cscript%3Ealert(1)%3Cimg%20src=x%3E"} {
		p = tb.open(srv.URL + bad)
		if n := tb.eval(`document.querySelectorAll("b, script, img, #x").length`); n != 0 {
			t.Errorf("%s: the token injected %d elements:\n%s", bad, n, p.html)
		}
		p = tb.click("Confirm")
		wantText(t, bad, p, http.StatusGone, "Verification", "This link is not valid.")
	}
	if tk := e.ticket("XY-1001"); tk.Status != StatusOpen {
		t.Errorf("ticket after the refused links: %s", tk.Status)
	}
	tb.noCSPViolations()
}

// TestBrowserUnsubscribeLink: opening a notice's unsubscribe link changes
// nothing; the button withdraws the consent to notices. Core-rights
// notices have no working link.
func TestBrowserUnsubscribeLink(t *testing.T) {
	browser := startBrowser(t)
	smtp := smtptest.Start(t)
	svc := newTestService(t, openTestStore(t, "sqlite"), testConfig(t))
	addCustomers(t, svc, "xiyue", 3, "en")
	n := createNotice(t, svc, false)
	scheduleAndDrain(t, svc, smtp, n)
	var rec NoticeRecipient
	must(t, svc.store.db.Where("notice_id = ? AND email = ?", n.ID, "c000001@example1.com").First(&rec).Error)
	secret, err := hexDecode(n.Secret)
	must(t, err)
	srv := httptest.NewServer(svc.HTTPHandler())
	t.Cleanup(srv.Close)
	consent := func() bool {
		ok, err := svc.hasConsent(svc.store.db, "xiyue", rec.Email, "notices")
		must(t, err)
		return ok
	}
	if !consent() {
		t.Fatal("the customer has no consent to notices to begin with")
	}
	tb := newTab(t, browser)
	url := srv.URL + "/unsubscribe/" + noticeToken(secret, n.ID, rec.ID)

	p := tb.open(url)
	wantText(t, "confirm page", p, http.StatusOK, "Unsubscribe", "Stop receiving policy notices", "core rights are still sent")
	tb.screenshot("unsubscribe-confirm")
	if !consent() {
		t.Fatal("loading the page (as a link scanner does) withdrew the consent")
	}

	p = tb.click("Unsubscribe")
	wantText(t, "after click", p, http.StatusOK, "Unsubscribed", "You will no longer receive policy notices")
	tb.screenshot("unsubscribe-done")
	if consent() {
		t.Error("the button did not withdraw the consent to notices")
	}
	must(t, svc.store.db.First(&rec, rec.ID).Error)
	if rec.UnsubscribedAt == nil {
		t.Error("the recipient row does not record the unsubscribe")
	}

	// A forged token, and the recipient of a core-rights notice.
	core := createNotice(t, svc, true)
	scheduleAndDrain(t, svc, smtp, core)
	var crec NoticeRecipient
	must(t, svc.store.db.Where("notice_id = ? AND email = ?", core.ID, "c000002@example2.com").First(&crec).Error)
	csecret, err := hexDecode(core.Secret)
	must(t, err)
	for name, u := range map[string]string{
		"forged":      url[:len(url)-2] + "00",
		"core rights": srv.URL + "/unsubscribe/" + noticeToken(csecret, core.ID, crec.ID),
	} {
		p := tb.open(u)
		if p.status != http.StatusNotFound || !strings.Contains(p.text, "not valid") {
			t.Errorf("%s link: %d %q", name, p.status, p.text)
		}
	}
	tb.noCSPViolations()
}

// TestBrowserCSPDetectorSeesViolations proves that noCSPViolations can
// fail: a page with an inline script and an external image under the same
// policy must be reported.
func TestBrowserCSPDetectorSeesViolations(t *testing.T) {
	browser := startBrowser(t)
	srv := httptest.NewServer(securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><title>bad</title><p style="color:red">styled</p><script>document.title="ran"</script><img src="/x.png">`)
	})))
	t.Cleanup(srv.Close)
	tb := newTab(t, browser)
	p := tb.open(srv.URL)
	if p.title != "bad" {
		t.Errorf("the inline script ran under the policy: title %q", p.title)
	}
	if c := tb.evalString(`getComputedStyle(document.querySelector("p")).color`); c != "rgb(255, 0, 0)" {
		t.Errorf("inline style blocked: color %s", c)
	}
	// Checked at once, with no wait, as noCSPViolations checks the real
	// pages: a report that trails the load would pass there unseen.
	v := tb.cspViolations()
	t.Logf("violations: %q", v)
	joined := strings.Join(v, "\n")
	if !strings.Contains(joined, "script") || !strings.Contains(joined, "x.png") {
		t.Errorf("violations seen: %q; want the inline script and the image", v)
	}
}
