package tickets

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"helpdesk/config"
	"helpdesk/mailbox"
)

// privacyEnv is a service with a settable clock and a fake mailbox.
type privacyEnv struct {
	t     *testing.T
	store *Store
	svc   *Service
	src   *fakeSource
	mu    sync.Mutex
	now   time.Time
	n     int
}

func newPrivacyEnv(t *testing.T, driver string, tweak func(*config.Config)) *privacyEnv {
	t.Helper()
	e := &privacyEnv{t: t, store: openTestStore(t, driver), src: newFakeSource(1),
		now: time.Date(2026, 11, 2, 2, 0, 0, 0, time.UTC)}
	cfg := testConfig(t)
	cfg.DataDir = t.TempDir()
	cfg.Outbox.AutoPerHour, cfg.Outbox.AutoPerDay = 0, 0
	cfg.Brands[0].Privacy.AuthservID = "mx.xiyue.example"
	if tweak != nil {
		tweak(cfg)
	}
	svc, err := NewService(ServiceOptions{Store: e.store, Config: cfg, Now: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e
}

func (e *privacyEnv) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *privacyEnv) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

// mail is one customer mail; headers are extra header lines.
type pmail struct {
	from, name, subject, body, inReplyTo, headers string
}

func (e *privacyEnv) deliver(m pmail) {
	e.t.Helper()
	e.n++
	if m.name == "" {
		m.name = "Ann Lee"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s <%s>\r\nTo: <support@xiyue.example>\r\nSubject: %s\r\n", m.name, m.from, m.subject)
	fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <p%d.%d@example.com>\r\n", e.clock().Format(time.RFC1123Z), e.n, time.Now().UnixNano())
	if m.inReplyTo != "" {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", m.inReplyTo, m.inReplyTo)
	}
	b.WriteString(m.headers)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
	b.WriteString(m.body + "\r\n")
	e.src.add([]byte(b.String()))
	if _, err := e.svc.NewIngester(&e.svc.cfg.Brands[0], IngestOptions{BatchSize: 10}).Pass(context.Background(), e.src); err != nil {
		e.t.Fatal(err)
	}
}

func (e *privacyEnv) ticket(ref string) *Ticket {
	e.t.Helper()
	t, err := e.svc.ticketByRef(context.Background(), ref)
	must(e.t, err)
	return t
}

func (e *privacyEnv) outbox(ref, kind string) []OutboxRow {
	e.t.Helper()
	var rows []OutboxRow
	q := e.store.db.Where("kind = ?", kind)
	if ref != "" {
		t := e.ticket(ref)
		q = q.Where("ticket_id = ?", t.ID)
	}
	must(e.t, q.Order("id").Find(&rows).Error)
	return rows
}

var eightDigits = regexp.MustCompile(`\b\d{8}\b`)

// lastCode reads the code from the newest verification mail of ref.
func (e *privacyEnv) lastCode(ref string) (code, messageID string) {
	e.t.Helper()
	rows := e.outbox(ref, "verify")
	if len(rows) == 0 {
		e.t.Fatalf("%s: no verification mail queued", ref)
	}
	r := rows[len(rows)-1]
	text := e.mailText(r)
	code = eightDigits.FindString(text)
	if code == "" {
		e.t.Fatalf("no code in verification mail:\n%s", text)
	}
	return code, r.MessageID
}

// mailText is the text of an outbox row's rendered mail, as it goes to
// the customer (the ticket's message row withholds codes and links).
func (e *privacyEnv) mailText(r OutboxRow) string {
	e.t.Helper()
	raw, err := loadRaw(e.store.db, *r.RawID)
	must(e.t, err)
	return mailbox.Parse(raw, mailbox.ParseOptions{}).Text
}

func (e *privacyEnv) auditResults(action string) []string {
	e.t.Helper()
	es, err := e.svc.AuditList(context.Background(), AuditFilter{Action: action})
	must(e.t, err)
	var out []string
	for _, a := range es {
		out = append(out, a.Detail)
	}
	return out
}

const deletionBody = "Hello, please delete my account and all personal data you hold about me."

func (e *privacyEnv) verifiedCustomer(email string) {
	now := e.clock()
	must(e.t, e.store.db.Create(&Customer{Brand: "xiyue", Email: email, Name: "Ann Lee", Source: "import",
		VerifiedAt: &now, CreatedAt: now, UpdatedAt: now}).Error)
}

// TestVerificationCannotBeBypassedBySpoofedFrom: a deletion request in the
// name of a known, verified customer waits for verification unless our
// own server's Authentication-Results show a pass for the From domain.
func TestVerificationCannotBeBypassedBySpoofedFrom(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, nil)
		e.verifiedCustomer("ann@example.com")
		cases := []struct {
			name, headers, want string
		}{
			{"our server says dmarc=fail", "Authentication-Results: mx.xiyue.example; dkim=none; spf=pass smtp.mailfrom=attacker.example; dmarc=fail header.from=example.com\r\n" +
				"Reply-To: <attacker@evil.example>\r\n", StatusAwaitingVerification},
			{"forged pass from another authserv-id", "Authentication-Results: mx.evil.example; dkim=pass header.d=example.com; spf=pass smtp.mailfrom=ann@example.com; dmarc=pass header.from=example.com\r\n",
				StatusAwaitingVerification},
			{"forged pass below our fail", "Authentication-Results: mx.xiyue.example; dmarc=fail header.from=example.com\r\n" +
				"Authentication-Results: mx.xiyue.example; dmarc=pass header.from=example.com\r\n", StatusAwaitingVerification},
			{"our server says pass", "Authentication-Results: mx.xiyue.example; dkim=pass header.d=example.com; spf=pass smtp.mailfrom=ann@example.com; dmarc=pass header.from=example.com\r\n",
				StatusOpen},
		}
		for i, c := range cases {
			e.deliver(pmail{from: "ann@example.com", subject: fmt.Sprintf("Please delete my personal data (%d)", i), body: deletionBody, headers: c.headers})
			ref := fmt.Sprintf("XY-%d", 1001+i)
			tk := e.ticket(ref)
			if tk.Category != "rights" || tk.RightsType != "deletion" {
				t.Fatalf("%s: classified %s/%s, want rights/deletion", c.name, tk.Category, tk.RightsType)
			}
			if tk.Status != c.want {
				t.Errorf("%s: status %s, want %s", c.name, tk.Status, c.want)
			}
			if c.want == StatusAwaitingVerification {
				if tk.ResolutionDue != nil || tk.SLAStartedAt != nil {
					t.Errorf("%s: clock started before verification", c.name)
				}
				v := e.outbox(ref, "verify")
				if len(v) != 1 || v[0].Rcpt != "ann@example.com" || v[0].Status != OutboxQueued {
					t.Errorf("%s: verification mail = %+v, want one queued to the address on file", c.name, v)
				}
				for _, a := range e.outbox(ref, "ack") {
					if a.Status != OutboxSuppressed {
						t.Errorf("%s: acknowledgement to %s not held back before verification", c.name, a.Rcpt)
					}
				}
			}
		}
		var toAttacker int64
		must(t, e.store.db.Model(&OutboxRow{}).Where("rcpt = ? AND status <> ?", "attacker@evil.example", OutboxSuppressed).Count(&toAttacker).Error)
		if toAttacker != 0 {
			t.Errorf("%d mails would go to the spoofer's Reply-To", toAttacker)
		}
	})
}

func TestUnknownAddressNeedsVerificationButComplaintDoesNot(t *testing.T) {
	e := newPrivacyEnv(t, "sqlite", func(c *config.Config) { c.Brands[0].Privacy.AuthservID = "" })
	e.deliver(pmail{from: "new@example.com", subject: "Please delete my personal data", body: deletionBody})
	if s := e.ticket("XY-1001").Status; s != StatusAwaitingVerification {
		t.Errorf("deletion from an unknown address: %s", s)
	}
	e.deliver(pmail{from: "new2@example.com", subject: "Complaint about how you handle my personal information",
		body: "I want to file a complaint: you shared my personal information without my consent. This violates my privacy rights."})
	tk := e.ticket("XY-1002")
	if tk.RightsType != "complaint" || tk.Status != StatusOpen || tk.Priority != "high" || tk.ResolutionDue == nil {
		t.Fatalf("complaint: %s/%s status %s priority %s due %v", tk.Category, tk.RightsType, tk.Status, tk.Priority, tk.ResolutionDue)
	}
	cp := e.outbox("XY-1002", "privacy_copy")
	if len(cp) != 1 || cp[0].Rcpt != "privacy@xiyue.example" || cp[0].Status != OutboxQueued {
		t.Errorf("complaint copy = %+v, want one to the privacy officer", cp)
	}
	// Verification switched off for the brand: the same request opens.
	e2 := newPrivacyEnv(t, "sqlite", func(c *config.Config) {
		off := false
		c.Brands[0].Privacy.Verification.Enabled = &off
	})
	e2.deliver(pmail{from: "new@example.com", subject: "Please delete my personal data", body: deletionBody})
	if s := e2.ticket("XY-1001").Status; s != StatusOpen {
		t.Errorf("verification disabled: %s", s)
	}
}

// TestVerificationCodes: wrong, expired and reused codes are refused and
// audited; the right code verifies, starts the clock and sends the
// acknowledgement.
func TestVerificationCodes(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, nil)
		e.deliver(pmail{from: "ann@example.com", subject: "Please delete my personal data", body: deletionBody})
		code, mid := e.lastCode("XY-1001")
		wrong := fmt.Sprintf("%08d", (mustAtoi(code)+1)%100_000_000)
		e.deliver(pmail{from: "ann@example.com", subject: "Re: code", body: "Here it is: " + wrong, inReplyTo: mid})
		if s := e.ticket("XY-1001").Status; s != StatusAwaitingVerification {
			t.Fatalf("wrong code verified: %s", s)
		}
		// A stranger who threads in with the right code does not verify.
		e.deliver(pmail{from: "mallory@evil.example", name: "M", subject: "Re: code", body: code, inReplyTo: mid})
		if s := e.ticket("XY-1001").Status; s != StatusAwaitingVerification {
			t.Fatalf("code from another address verified: %s", s)
		}
		e.advance(25 * time.Hour)
		e.deliver(pmail{from: "ann@example.com", subject: "Re: code", body: "Sorry for the delay, the code is " + code, inReplyTo: mid})
		if s := e.ticket("XY-1001").Status; s != StatusAwaitingVerification {
			t.Fatalf("expired code verified: %s", s)
		}
		code2, mid2 := e.lastCode("XY-1001")
		if code2 == code {
			t.Fatal("no new code after expiry")
		}
		e.deliver(pmail{from: "ann@example.com", subject: "Re: code", body: "> old quoted " + wrong + "\r\n" + code2, inReplyTo: mid2})
		tk := e.ticket("XY-1001")
		if tk.Status != StatusOpen || tk.SLAStartedAt == nil || tk.ResolutionDue == nil {
			t.Fatalf("right code: status %s, clock %v", tk.Status, tk.SLAStartedAt)
		}
		if !tk.SLAStartedAt.Equal(e.clock()) {
			t.Errorf("clock started %v, want at verification %v", tk.SLAStartedAt, e.clock())
		}
		acks := e.outbox("XY-1001", "ack")
		if len(acks) != 2 || acks[1].Status != OutboxQueued {
			t.Errorf("acks = %+v, want the held one suppressed and one queued at verification", acks)
		}
		// A new request; the used code is refused there.
		e.deliver(pmail{from: "ann@example.com", subject: "Please delete my personal data again", body: deletionBody})
		_, mid3 := e.lastCode("XY-1002")
		e.deliver(pmail{from: "ann@example.com", subject: "Re: code", body: code2, inReplyTo: mid3})
		if s := e.ticket("XY-1002").Status; s != StatusAwaitingVerification {
			t.Fatalf("reused code verified: %s", s)
		}
		got := strings.Join(e.auditResults("verification.attempt"), "\n")
		for _, want := range []string{`"result":"wrong"`, `"result":"expired"`, `"result":"verified"`, `"result":"reused"`} {
			if !strings.Contains(got, want) {
				t.Errorf("audit lacks %s:\n%s", want, got)
			}
		}
		if strings.Contains(got, code) || strings.Contains(got, "ann@example.com") {
			t.Error("audit log holds a code or an address")
		}
	})
}

func TestVerificationTriesAreLimited(t *testing.T) {
	e := newPrivacyEnv(t, "sqlite", nil)
	e.deliver(pmail{from: "ann@example.com", subject: "Please delete my personal data", body: deletionBody})
	code, mid := e.lastCode("XY-1001")
	for i := 0; i < 5; i++ {
		e.deliver(pmail{from: "ann@example.com", subject: "Re: code", body: fmt.Sprintf("%08d", (mustAtoi(code)+1+i)%100_000_000), inReplyTo: mid})
	}
	e.deliver(pmail{from: "ann@example.com", subject: "Re: code", body: code, inReplyTo: mid})
	if s := e.ticket("XY-1001").Status; s != StatusAwaitingVerification {
		t.Fatalf("code accepted after 5 wrong tries: %s", s)
	}
	if got := strings.Join(e.auditResults("verification.attempt"), ""); !strings.Contains(got, verifyExhausted) {
		t.Errorf("audit lacks %s: %s", verifyExhausted, got)
	}
}

func TestAgentCannotSendDataBeforeVerification(t *testing.T) {
	e := newPrivacyEnv(t, "sqlite", nil)
	e.deliver(pmail{from: "ann@example.com", subject: "Please send me a copy of my personal data",
		body: "Hello, I would like to access all personal data you hold about me. Please send me a copy."})
	tk := e.ticket("XY-1001")
	if tk.Status != StatusAwaitingVerification {
		t.Fatalf("access request: %s (%s)", tk.Status, tk.RightsType)
	}
	ctx := context.Background()
	if _, err := e.svc.Reply(ctx, "XY-1001", ReplyOptions{Body: "Here is your data"}); err == nil {
		t.Error("free-text reply allowed before verification")
	}
	if _, err := e.svc.Reply(ctx, "XY-1001", ReplyOptions{Template: "resolved"}); err == nil {
		t.Error("template reply allowed before verification")
	}
	row, err := e.svc.Reply(ctx, "XY-1001", ReplyOptions{Template: "verify"})
	if err != nil || row.Kind != "verify" || row.Status != OutboxQueued {
		t.Fatalf("resending the verification: %v %+v", err, row)
	}
}

func mustAtoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
