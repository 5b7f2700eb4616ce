package tickets

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"helpdesk/config"
	"helpdesk/mailbox"
)

var verifyLink = regexp.MustCompile(`/verify/[A-Za-z0-9_-]{20,}`)

func TestVerificationLinkNeedsPOSTAndIsSingleUse(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, nil)
		e.deliver(pmail{from: "ann@example.com", subject: "Please delete my personal data", body: deletionBody})
		rows := e.outbox("XY-1001", "verify")
		text := e.mailText(rows[0])
		link := verifyLink.FindString(text)
		if link == "" {
			t.Fatalf("no link in:\n%s", text)
		}
		srv := httptest.NewServer(e.svc.HTTPHandler())
		defer srv.Close()
		res, err := http.Get(srv.URL + link)
		must(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), `method="post"`) || strings.Contains(string(body), "ann@") {
			t.Fatalf("GET: %d %s", res.StatusCode, body)
		}
		if s := e.ticket("XY-1001").Status; s != StatusAwaitingVerification {
			t.Fatalf("GET verified the ticket: %s", s)
		}
		res, err = http.PostForm(srv.URL+link, url.Values{})
		must(t, err)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("POST: %d", res.StatusCode)
		}
		if tk := e.ticket("XY-1001"); tk.Status != StatusOpen || tk.ResolutionDue == nil {
			t.Fatalf("after POST: %s", tk.Status)
		}
		res, err = http.PostForm(srv.URL+link, url.Values{})
		must(t, err)
		res.Body.Close()
		if res.StatusCode != http.StatusGone {
			t.Errorf("second POST: %d, want 410", res.StatusCode)
		}
		res, err = http.PostForm(srv.URL+"/verify/not-a-token", url.Values{})
		must(t, err)
		res.Body.Close()
		if res.StatusCode != http.StatusGone {
			t.Errorf("bad token: %d", res.StatusCode)
		}
	})
}

// TestConsentWithdrawal: no marketing or notices after a withdrawal, but
// the answer to the request itself (and mandatory legal notices) still go.
func TestConsentWithdrawal(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, nil)
		e.deliver(pmail{from: "ann@example.com", subject: "Withdraw my consent",
			body: "I withdraw my consent to the use of my personal information. Please stop sending me marketing emails and new product consultations."})
		tk := e.ticket("XY-1001")
		if tk.RightsType != "consent_withdrawal" || tk.Status != StatusOpen || tk.ResolutionDue == nil {
			t.Fatalf("withdrawal: %s/%s %s", tk.Category, tk.RightsType, tk.Status)
		}
		if a := e.outbox("XY-1001", "ack"); len(a) != 1 || a[0].Status != OutboxQueued {
			t.Fatalf("ack = %+v, want queued", a)
		}
		db := e.store.db
		for _, p := range []string{"marketing", "notices", "order_status"} {
			ok, err := e.svc.hasConsent(db, "xiyue", "ANN@example.com", p)
			must(t, err)
			if ok {
				t.Errorf("%s still allowed", p)
			}
		}
		b := &e.svc.cfg.Brands[0]
		to := mailbox.Address{Email: "ann@example.com"}
		for kind, want := range map[string]string{"marketing": OutboxSuppressed, "notice": OutboxSuppressed,
			"order_status": OutboxSuppressed, "notice_mandatory": OutboxQueued} {
			row, err := e.svc.enqueue(db, Outgoing{Brand: b, Kind: kind, Automatic: true, To: to, Subject: kind, Text: "x"})
			must(t, err)
			if row.Status != want {
				t.Errorf("%s mail: %s, want %s", kind, row.Status, want)
			}
		}
		row, err := e.svc.Reply(context.Background(), "XY-1001", ReplyOptions{Body: "Done: you will get no more marketing mail."})
		must(t, err)
		if row.Status != OutboxQueued {
			t.Errorf("reply to the request: %s", row.Status)
		}
		// An agent switches one purpose back on.
		vs, err := e.svc.SetConsent(context.Background(), "ann@example.com", "", map[string]bool{"order_status": true}, "agent1")
		must(t, err)
		if !vs[0].Consent["order_status"] || vs[0].Consent["marketing"] {
			t.Errorf("consent = %v", vs[0].Consent)
		}
		if _, err := e.svc.SetConsent(context.Background(), "ann@example.com", "", map[string]bool{"bogus": true}, "a"); err == nil {
			t.Error("unknown purpose accepted")
		}
		if got := e.auditResults("consent.change"); len(got) != 2 {
			t.Errorf("consent audit entries = %v", got)
		}
	})
}

func rawWithAttachment(from, name, subject, body string, attachment []byte) string {
	return "From: " + name + " <" + from + ">\r\nTo: <support@xiyue.example>\r\nSubject: " + subject +
		"\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <att-" + from + ">\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body +
		"\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"../../receipt.bin\"\r\n\r\n" +
		string(attachment) + "\r\n--b--\r\n"
}

func TestExportBundle(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, nil)
		e.src.add([]byte(rawWithAttachment("ann@example.com", "Ann Lee", "Where is my parcel?",
			"My order has not arrived, tracking shows nothing.", []byte("RECEIPT-BYTES"))))
		e.deliver(pmail{from: "ann@example.com", subject: "Bracelet size", body: "Can the bracelet be resized?"})
		var buf bytes.Buffer
		idx, err := e.svc.ExportCustomer(context.Background(), "Ann@Example.com", "", "agent1", &buf)
		must(t, err)
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		must(t, err)
		files := map[string][]byte{}
		for _, f := range zr.File {
			rc, err := f.Open()
			must(t, err)
			files[f.Name], _ = io.ReadAll(rc)
			rc.Close()
		}
		var got ExportIndex
		must(t, json.Unmarshal(files["index.json"], &got))
		if got.Format != ExportFormat || len(got.Customers) != 1 || len(got.Tickets) != 2 {
			t.Fatalf("index: format %s, %d customers, %d tickets", got.Format, len(got.Customers), len(got.Tickets))
		}
		if got.Customers[0].Consent["marketing"] != true {
			t.Errorf("consent state missing: %v", got.Customers[0].Consent)
		}
		emls, atts := 0, 0
		for name, data := range files {
			switch {
			case strings.HasPrefix(name, "messages/"):
				emls++
				if len(data) == 0 {
					t.Errorf("%s is empty", name)
				}
			case strings.HasPrefix(name, "attachments/"):
				atts++
				if strings.Contains(name, "..") || string(data) != "RECEIPT-BYTES" {
					t.Errorf("attachment %s = %q", name, data)
				}
			}
		}
		// Two customer mails and two acknowledgements, each with raw.
		if emls != 4 || atts != 1 || len(idx.Files) != len(files) {
			t.Errorf("%d .eml, %d attachments, index lists %d of %d files", emls, atts, len(idx.Files), len(files))
		}
		if len(got.Outbox) != 2 {
			t.Errorf("outbox records = %d, want 2 acks", len(got.Outbox))
		}
		es, err := e.svc.AuditList(context.Background(), AuditFilter{Customer: "ann@example.com", Action: "customer.export"})
		must(t, err)
		if len(es) != 1 || es[0].Actor != "agent1" {
			t.Errorf("export audit = %+v", es)
		}
	})
}

func TestUpdateCustomerAuditsFieldsNotValues(t *testing.T) {
	e := newPrivacyEnv(t, "sqlite", nil)
	e.deliver(pmail{from: "ann@example.com", subject: "Bracelet size", body: "Can the bracelet be resized?"})
	ctx := context.Background()
	old := "+86 138 0000 1111"
	_, _, err := e.svc.UpdateCustomer(ctx, "ann@example.com", "", CustomerUpdate{Phone: &old}, "agent1")
	must(t, err)
	phone, addr, email := "+86 139 2222 3333", "1 Long Road, Shenzhen", "ann.new@example.com"
	v, changed, err := e.svc.UpdateCustomer(ctx, "ann@example.com", "", CustomerUpdate{Phone: &phone, Address: &addr, Email: &email}, "agent1")
	must(t, err)
	if v.Phone != phone || v.Address != addr || v.Email != email || strings.Join(changed, ",") != "email,phone,address" {
		t.Fatalf("updated = %+v, changed %v", v, changed)
	}
	es, err := e.svc.AuditList(ctx, AuditFilter{Action: "customer.update"})
	must(t, err)
	if len(es) != 2 || !strings.Contains(es[1].Detail, `"email","phone","address"`) {
		t.Fatalf("audit = %+v", es)
	}
	for _, a := range es {
		if strings.Contains(a.Detail, "138") || strings.Contains(a.Detail, "139") || strings.Contains(a.Detail, "Shenzhen") {
			t.Errorf("audit keeps a value: %s", a.Detail)
		}
	}
	dir := filepath.Dir(dbPath(t, e.store))
	if hits := grepFiles(t, []string{dir}, "+86 139 2222 3333"); len(hits) == 0 {
		t.Error("grep does not find the new phone number: the check is broken")
	}
	if hits := grepFiles(t, []string{dir}, "138 0000 1111"); len(hits) > 0 {
		t.Errorf("old phone number still in %v", hits)
	}
}

func dbPath(t *testing.T, s *Store) string {
	t.Helper()
	var file, name string
	var seq int
	if err := s.db.Raw("PRAGMA database_list").Row().Scan(&seq, &name, &file); err != nil || file == "" {
		t.Fatalf("database file: %v %q", err, file)
	}
	return file
}

// grepFiles returns the files under roots whose bytes contain needle
// (case-insensitive).
func grepFiles(t *testing.T, roots []string, needles ...string) []string {
	t.Helper()
	var hits []string
	for _, root := range roots {
		filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range needles {
				if bytes.Contains(bytes.ToLower(b), bytes.ToLower([]byte(n))) {
					hits = append(hits, filepath.Base(path)+": "+n)
				}
			}
			return nil
		})
	}
	return hits
}

// TestErasureLeavesNoTrace erases a customer with tickets, an attachment,
// a consent change, a verification, a message copied on someone else's
// ticket and a quarantined mail, then greps the database files and
// data_dir for the address and the name. A logistics ticket is kept,
// anonymized, under the brand's legal hold.
func TestErasureLeavesNoTrace(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, func(c *config.Config) {
			c.Brands[0].Privacy.LegalHold = config.LegalHold{Categories: []string{"logistics"}, Reason: "order-dispute records"}
		})
		const addr, name = "ann.lee@example.com", "Annabel Leeford"
		e.src.add([]byte(rawWithAttachment(addr, name, "Where is my parcel?",
			"My parcel has not arrived, the tracking number shows nothing. Regards, "+name, []byte("photo of "+name))))
		e.deliver(pmail{from: addr, name: name, subject: "Bracelet size", body: "Can the bracelet be resized? " + name})
		e.deliver(pmail{from: addr, name: name, subject: "Please delete my personal data", body: deletionBody})
		code, mid := e.lastCode("XY-1003")
		e.deliver(pmail{from: addr, name: name, subject: "Re: code", body: code, inReplyTo: mid})
		_, err := e.svc.SetConsent(context.Background(), addr, "", map[string]bool{"marketing": false}, "agent1")
		must(t, err)
		// Someone else's mail copying her, large enough to be stored in
		// chunks, naming her on both sides of a chunk boundary.
		e.deliver(pmail{from: "bob@example.com", name: "Bob", subject: "Gift for my friend",
			body: "Please ship the bracelet gift to my friend " + name + " (" + addr + ").\r\n" +
				strings.Repeat("Gift wrapping notes, line after line.\r\n", rawChunkSize/38+100) + "Thanks, for " + name,
			headers: "Cc: " + name + " <" + addr + ">\r\n"})
		if countRows(t, e.store, "raw_chunks") == 0 {
			t.Fatal("setup: the large mail was not stored in chunks")
		}
		must(t, e.store.db.Transaction(func(tx *gorm.DB) error {
			return quarantine(tx, "xiyue", "INBOX", 1, 999, "too big", []byte("From: "+addr+"\r\n\r\nhuge"))
		}))
		if e.ticket("XY-1003").Status != StatusOpen {
			t.Fatal("setup: deletion request not verified")
		}
		rep, err := e.svc.EraseCustomer(context.Background(), addr, "", "agent1")
		must(t, err)
		be := rep.Brands[0]
		if !be.Customer || be.Deleted["tickets"] != 2 || len(be.Kept) != 1 || be.Kept[0].Ticket != "XY-1001" ||
			!strings.Contains(be.Kept[0].Reason, "order-dispute") || be.Deleted["quarantine"] != 1 || be.Deleted["attachments"] != 1 {
			t.Fatalf("report = %+v", be)
		}
		if kept := e.ticket("XY-1001"); kept.Customer.Email != "(erased)" || kept.Category != "logistics" {
			t.Errorf("kept ticket = %+v", kept)
		}
		ok, err := e.svc.isErased(e.store.db, "xiyue", addr)
		must(t, err)
		if !ok {
			t.Error("address not on the erasure list")
		}
		es, err := e.svc.AuditList(context.Background(), AuditFilter{Customer: addr})
		must(t, err)
		if len(es) == 0 || es[len(es)-1].Action != "customer.erase" {
			t.Errorf("audit = %+v", es)
		}
		// Every text column of every table.
		for _, table := range []string{"customers", "tickets", "messages", "raw_messages", "raw_chunks", "attachments", "outbox",
			"audit_log", "erasures", "customer_consent", "quarantine", "classification_corrections"} {
			var rows []map[string]any
			must(t, e.store.db.Table(table).Find(&rows).Error)
			for _, r := range rows {
				for col, v := range r {
					s := strings.ToLower(toString(v))
					if strings.Contains(s, addr) || strings.Contains(s, strings.ToLower(name)) || strings.Contains(s, "leeford") {
						t.Errorf("%s.%s still holds the person: %.80q", table, col, s)
					}
				}
			}
		}
		if driver != "sqlite" {
			return
		}
		dir := filepath.Dir(dbPath(t, e.store))
		e.store.Close()
		if hits := grepFiles(t, []string{dir, e.svc.cfg.DataDir}, addr, name, "Leeford"); len(hits) > 0 {
			t.Errorf("after erasure the person is still in: %v", hits)
		}
		// Control: the grep finds what is there.
		if hits := grepFiles(t, []string{dir}, "bob@example.com"); len(hits) == 0 {
			t.Error("grep found not even the other customer: the check is broken")
		}
	})
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// TestRetentionDryRunMatchesRealRun: the dry run reports exactly what the
// real run then deletes, and a second run finds nothing.
func TestRetentionDryRunMatchesRealRun(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, func(c *config.Config) {
			c.Brands[0].Privacy.Retention = config.Retention{ClosedTickets: "30d", RawMail: "10d", Attachments: "20d"}
		})
		ctx := context.Background()
		e.src.add([]byte(rawWithAttachment("old@example.com", "Old", "Where is my parcel?", "Parcel missing.", []byte("x"))))
		e.deliver(pmail{from: "a@example.com", subject: "Bracelet size", body: "Can it be resized?"})
		_, err := e.svc.Reply(ctx, "XY-1002", ReplyOptions{Body: "Yes, size 16 is fine.", Status: StatusResolved})
		must(t, err)
		e.advance(15 * 24 * time.Hour)
		e.deliver(pmail{from: "b@example.com", subject: "Ring care", body: "How do I clean the ring?"})
		e.advance(20 * 24 * time.Hour)
		e.deliver(pmail{from: "c@example.com", subject: "Necklace", body: "Is it silver?"})
		before := map[string]int64{}
		for _, tb := range []string{"tickets", "raw_messages", "attachments"} {
			before[tb] = countRows(t, e.store, tb)
		}
		dry, err := e.svc.RunRetention(ctx, true, "test")
		must(t, err)
		real, err := e.svc.RunRetention(ctx, false, "test")
		must(t, err)
		d, r := dry.Brands[0], real.Brands[0]
		if d != r {
			t.Fatalf("dry run %+v != real run %+v", d, r)
		}
		// XY-1002, resolved 35 days ago, goes with all its mail. The
		// customer mails of XY-1001 (35 days) and XY-1003 (20 days) lose
		// their raw (the acknowledgements are still queued: kept), XY-1001
		// its attachment; XY-1004 keeps everything.
		if d.Tickets != 1 || d.RawMail != 2 || d.Attachments != 1 {
			t.Errorf("plan = %+v", d)
		}
		if n := before["tickets"] - countRows(t, e.store, "tickets"); n != d.Tickets {
			t.Errorf("%d tickets deleted, report says %d", n, d.Tickets)
		}
		if n := before["attachments"] - countRows(t, e.store, "attachments"); n != d.Attachments {
			t.Errorf("%d attachments deleted, report says %d", n, d.Attachments)
		}
		if n := countRows(t, e.store, "tickets"); n != 3 {
			t.Errorf("%d tickets left", n)
		}
		again, err := e.svc.RunRetention(ctx, true, "test")
		must(t, err)
		if a := again.Brands[0]; a.Tickets+a.RawMail+a.Attachments != 0 {
			t.Errorf("second dry run = %+v, want nothing", a)
		}
		if got := e.auditResults("retention.run"); len(got) != 1 {
			t.Errorf("retention audit = %v", got)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		e := newPrivacyEnv(t, driver, nil)
		must(t, e.svc.audit(e.store.db, "agent1", "customer.export", "xiyue", "ann@example.com", "", nil))
		if err := e.store.db.Exec("UPDATE audit_log SET actor = 'x'").Error; err == nil {
			t.Error("UPDATE on audit_log succeeded")
		}
		if err := e.store.db.Exec("DELETE FROM audit_log").Error; err == nil {
			t.Error("DELETE on audit_log succeeded")
		}
		es, err := e.svc.AuditList(context.Background(), AuditFilter{Customer: "ANN@example.com"})
		must(t, err)
		if len(es) != 1 || es[0].Actor != "agent1" || len(es[0].SubjectHash) != 64 {
			t.Fatalf("entries = %+v", es)
		}
		other, err := e.svc.AuditList(context.Background(), AuditFilter{Customer: "bob@example.com"})
		must(t, err)
		if len(other) != 0 {
			t.Errorf("filter by customer returned %d entries of someone else", len(other))
		}
	})
}

func TestHashKeyGeneratedOnce(t *testing.T) {
	e := newPrivacyEnv(t, "sqlite", nil)
	h1, err := e.svc.SubjectHash("ann@example.com")
	must(t, err)
	info, err := os.Stat(filepath.Join(e.svc.cfg.DataDir, hashKeyFile))
	must(t, err)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", info.Mode().Perm())
	}
	svc2 := newTestService(t, e.store, e.svc.cfg)
	h2, err := svc2.SubjectHash("Ann@Example.com")
	must(t, err)
	if h1 != h2 {
		t.Error("a second service computed another hash: key not reused")
	}
	cfg := *e.svc.cfg
	cfg.Privacy.HashKey = "configured-key-0123456789"
	h3, err := newTestService(t, e.store, &cfg).SubjectHash("ann@example.com")
	must(t, err)
	if h3 == h1 {
		t.Error("configured key ignored")
	}
}
