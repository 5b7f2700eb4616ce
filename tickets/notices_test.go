package tickets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
	"helpdesk/mailbox/smtptest"
)

// addCustomers inserts n customers of the brand in batches.
func addCustomers(t testing.TB, svc *Service, brand string, n int, lang string) {
	t.Helper()
	now := time.Now().UTC()
	batch := make([]*Customer, 0, 1000)
	flush := func() {
		if len(batch) > 0 {
			must(t, svc.store.db.CreateInBatches(batch, 500).Error)
			batch = batch[:0]
		}
	}
	for i := 0; i < n; i++ {
		batch = append(batch, &Customer{Brand: brand, Email: fmt.Sprintf("c%06d@example%d.com", i, i%7),
			Name: fmt.Sprintf("Customer %d", i), Language: lang, Source: "import", CreatedAt: now, UpdatedAt: now})
		if len(batch) == cap(batch) {
			flush()
		}
	}
	flush()
}

func createNotice(t testing.TB, svc *Service, core bool) *Notice {
	t.Helper()
	eff, err := svc.EarliestEffective("xiyue")
	must(t, err)
	n, err := svc.CreateNotice(context.Background(), NoticeInput{Brand: "xiyue", Title: "Privacy policy update",
		Body: "We now **also** collect your phone number.\n\n- for delivery\n- for nothing else", Language: "en",
		Effective: eff, CoreRights: core,
		Translations: []NoticeTranslation{{Language: "zh", Title: "隐私政策更新", Body: "我们将收集您的电话号码。"}}})
	must(t, err)
	return n
}

func scheduleAndDrain(t testing.TB, svc *Service, srv *smtptest.Server, n *Notice) int64 {
	t.Helper()
	total, err := svc.ScheduleNotice(context.Background(), n.ID)
	must(t, err)
	must(t, svc.DrainNotices(context.Background(), OutboxOptions{Workers: 3, NewSender: senderTo(srv)}))
	return total
}

func recipientsByStatus(t testing.TB, svc *Service, noticeID int64) map[string]int64 {
	t.Helper()
	p, err := svc.NoticeStatus(context.Background(), noticeID)
	must(t, err)
	return p.Counts
}

func TestNoticeEffectiveDateValidation(t *testing.T) {
	store := openTestStore(t, "sqlite")
	cfg := testConfig(t)
	cfg.Brands[0].Policy.NoticeDays = 30
	// 2026-03-01 16:30 UTC is already 2026-03-02 00:30 in Shanghai: the
	// publication day is the brand's, not UTC's.
	clk := &clock{t: time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC)}
	svc, err := NewService(ServiceOptions{Store: store, Config: cfg, Now: clk.Now})
	must(t, err)
	for _, tc := range []struct {
		effective string
		ok        bool
	}{
		{"2026-03-31", false}, // 30 days after the UTC date: one day short in the brand's zone
		{"2026-04-01", true},
		{"2026-04-02", true},
		{"2026-03-02", false},
		{"yesterday", false},
	} {
		_, err := svc.CreateNotice(context.Background(), NoticeInput{Brand: "xiyue", Title: "T", Body: "B", Effective: tc.effective})
		if tc.ok != (err == nil) {
			t.Errorf("effective %s: err = %v, want ok=%v", tc.effective, err, tc.ok)
		}
		var ede *EffectiveDateError
		if tc.effective != "yesterday" && !tc.ok && (!errors.As(err, &ede) || !strings.Contains(err.Error(), "earliest allowed date is 2026-04-01")) {
			t.Errorf("effective %s: error %q does not name the earliest date 2026-04-01", tc.effective, err)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("effective %s: error is not ErrInvalid", tc.effective)
		}
	}
	// The household brand's 7 days.
	cfg.Brands[0].Policy.NoticeDays = 7
	if _, err := svc.CreateNotice(context.Background(), NoticeInput{Brand: "xiyue", Title: "T", Body: "B", Effective: "2026-03-09"}); err != nil {
		t.Errorf("7 days ahead refused: %v", err)
	}
	if _, err := svc.CreateNotice(context.Background(), NoticeInput{Brand: "xiyue", Title: "T", Body: "B", Effective: "2026-03-08"}); err == nil {
		t.Error("6 days ahead accepted")
	}
}

func TestNoticeSendsOnePersonalCopyEach(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		srv := smtptest.Start(t)
		svc := newTestService(t, openTestStore(t, driver), testConfig(t))
		addCustomers(t, svc, "xiyue", 40, "zh")
		must(t, svc.store.db.Model(&Customer{}).Where("email = ?", "c000001@example1.com").Update("language", "en").Error)
		n := createNotice(t, svc, false)
		if total := scheduleAndDrain(t, svc, srv, n); total != 40 {
			t.Fatalf("scheduled %d recipients, want 40", total)
		}
		msgs := srv.Messages()
		if len(msgs) != 40 {
			t.Fatalf("server got %d mails, want 40", len(msgs))
		}
		ids := map[string]bool{}
		for _, r := range msgs {
			m := mailbox.Parse(r.Data, mailbox.ParseOptions{})
			if ids[m.MessageID] || !strings.HasSuffix(m.MessageID, "@xiyue.example") {
				t.Errorf("Message-ID %q repeated or not on the brand's domain", m.MessageID)
			}
			ids[m.MessageID] = true
			raw := strings.ReplaceAll(string(r.Data), "\r\n ", " ") // unfold
			for _, h := range []string{"Auto-Submitted: auto-generated", "List-Unsubscribe: <http://127.0.0.1:8025/unsubscribe/1.",
				"List-Unsubscribe-Post: List-Unsubscribe=One-Click", "mailto:support@xiyue.example?subject=unsubscribe"} {
				if !strings.Contains(raw, h) {
					t.Fatalf("mail to %v lacks %q:\n%s", r.To, h, raw)
				}
			}
			wantZh := r.To[0] != "c000001@example1.com"
			if got := strings.Contains(m.Text, "我们将收集您的电话号码"); got != wantZh {
				t.Errorf("mail to %v: Chinese body %v, want %v", r.To, got, wantZh)
			}
			if !wantZh && (!strings.Contains(m.Text, "also collect") || !strings.Contains(m.HTML, "<strong>also</strong>")) {
				t.Errorf("English copy lacks the rendered Markdown body:\n%s\n%s", m.Text, m.HTML)
			}
		}
		p, err := svc.NoticeStatus(context.Background(), n.ID)
		must(t, err)
		if p.Status != NoticeDone || p.Counts[RecipientSent] != 40 || p.Remaining != 0 {
			t.Errorf("status = %+v", p)
		}
	})
}

func TestNoticeConsentAndCoreRights(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		srv := smtptest.Start(t)
		svc := newTestService(t, openTestStore(t, driver), testConfig(t))
		addCustomers(t, svc, "xiyue", 10, "en")
		// c000003 unsubscribes through the one-click link of a first notice.
		first := createNotice(t, svc, false)
		scheduleAndDrain(t, svc, srv, first)
		var rec NoticeRecipient
		must(t, svc.store.db.Where("notice_id = ? AND email = ?", first.ID, "c000003@example3.com").First(&rec).Error)
		secret, _ := hexDecode(first.Secret)
		url := "/unsubscribe/" + noticeToken(secret, first.ID, rec.ID)
		h := svc.HTTPHandler()
		get := httptest.NewRecorder()
		h.ServeHTTP(get, httptest.NewRequest(http.MethodGet, url, nil))
		if get.Code != 200 || !strings.Contains(get.Body.String(), `<form method="post">`) {
			t.Fatalf("GET unsubscribe: %d %s", get.Code, get.Body.String())
		}
		if ok, _ := svc.hasConsent(svc.store.db, "xiyue", rec.Email, "notices"); !ok {
			t.Fatal("a GET (a link scanner) withdrew consent")
		}
		post := httptest.NewRecorder()
		h.ServeHTTP(post, httptest.NewRequest(http.MethodPost, url, strings.NewReader("List-Unsubscribe=One-Click")))
		if post.Code != 200 {
			t.Fatalf("POST unsubscribe: %d", post.Code)
		}
		if ok, _ := svc.hasConsent(svc.store.db, "xiyue", rec.Email, "notices"); ok {
			t.Fatal("one-click unsubscribe did not withdraw consent to notices")
		}
		var audited int64
		must(t, svc.store.db.Table("audit_log").Where("action = ? AND actor = ?", "consent.change", "unsubscribe-link").Count(&audited).Error)
		if audited != 1 {
			t.Errorf("%d audit entries for the unsubscribe, want 1", audited)
		}
		bad := httptest.NewRecorder()
		h.ServeHTTP(bad, httptest.NewRequest(http.MethodPost, url[:len(url)-2]+"00", nil))
		if bad.Code != 404 {
			t.Errorf("forged token: %d", bad.Code)
		}

		before := srv.Count()
		ordinary := createNotice(t, svc, false)
		scheduleAndDrain(t, svc, srv, ordinary)
		c := recipientsByStatus(t, svc, ordinary.ID)
		if c[RecipientSent] != 9 || c[RecipientSkipped] != 1 || srv.Count()-before != 9 {
			t.Errorf("ordinary notice: %v, %d delivered; want 9 sent, 1 skipped", c, srv.Count()-before)
		}
		before = srv.Count()
		core := createNotice(t, svc, true)
		scheduleAndDrain(t, svc, srv, core)
		c = recipientsByStatus(t, svc, core.ID)
		if c[RecipientSent] != 10 || srv.Count()-before != 10 {
			t.Errorf("core-rights notice: %v; want all 10 sent", c)
		}
		for _, r := range srv.Messages()[before:] {
			if strings.Contains(string(r.Data), "List-Unsubscribe") {
				t.Fatal("a core-rights notice carries List-Unsubscribe")
			}
		}
	})
}

func TestNoticeErasedCustomerSkipped(t *testing.T) {
	srv := smtptest.Start(t)
	svc := newTestService(t, openTestStore(t, "sqlite"), testConfig(t))
	addCustomers(t, svc, "xiyue", 5, "en")
	h, err := svc.SubjectHash("c000002@example2.com")
	must(t, err)
	must(t, svc.store.db.Exec(`INSERT INTO erasures (brand, email_hash, erased_at) VALUES (?, ?, ?)`, "xiyue", h, time.Now().UTC()).Error)
	n := createNotice(t, svc, true)
	scheduleAndDrain(t, svc, srv, n)
	for _, r := range srv.Messages() {
		if r.To[0] == "c000002@example2.com" {
			t.Fatal("an erased customer got a notice")
		}
	}
	if c := recipientsByStatus(t, svc, n.ID); c[RecipientSkipped] != 1 || c[RecipientSent] != 4 {
		t.Errorf("counts = %v", c)
	}
	var custs int64
	must(t, svc.store.db.Model(&Customer{}).Count(&custs).Error)
	if custs != 5 {
		t.Errorf("%d customers after the send, want 5", custs)
	}
}

func TestNoticePauseResumeCancel(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		srv := smtptest.Start(t)
		srv.SetDelay(2 * time.Millisecond)
		svc := newTestService(t, openTestStore(t, driver), testConfig(t))
		addCustomers(t, svc, "xiyue", 300, "en")
		n := createNotice(t, svc, false)
		_, err := svc.ScheduleNotice(context.Background(), n.ID)
		must(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			must(t, svc.RunNotices(ctx, OutboxOptions{Workers: 2, Idle: 20 * time.Millisecond, NewSender: senderTo(srv)}))
		}()
		defer func() { cancel(); wg.Wait() }()
		waitFor(t, func() bool { return srv.Count() >= 30 })
		_, err = svc.SetNoticeState(context.Background(), n.ID, "pause")
		must(t, err)
		time.Sleep(500 * time.Millisecond) // workers finish the message in hand
		atPause := srv.Count()
		time.Sleep(500 * time.Millisecond)
		if got := srv.Count(); got != atPause || got >= 300 {
			t.Fatalf("sending went on while paused: %d then %d", atPause, got)
		}
		if c := recipientsByStatus(t, svc, n.ID); c[RecipientSending] != 0 {
			t.Errorf("paused notice still has %d claimed rows", c[RecipientSending])
		}
		_, err = svc.SetNoticeState(context.Background(), n.ID, "resume")
		must(t, err)
		waitFor(t, func() bool { p, _ := svc.NoticeStatus(context.Background(), n.ID); return p.Status == NoticeDone })
		perRcpt := map[string]int{}
		for _, r := range srv.Messages() {
			perRcpt[r.To[0]]++
		}
		if len(perRcpt) != 300 || srv.Count() != 300 {
			t.Errorf("%d mails to %d recipients after resume, want 300 each once", srv.Count(), len(perRcpt))
		}

		// Cancel: nothing more goes out, and the rest is marked cancelled.
		n2 := createNotice(t, svc, false)
		_, err = svc.ScheduleNotice(context.Background(), n2.ID)
		must(t, err)
		waitFor(t, func() bool { return srv.Count() >= 330 })
		_, err = svc.SetNoticeState(context.Background(), n2.ID, "cancel")
		must(t, err)
		time.Sleep(500 * time.Millisecond)
		c := recipientsByStatus(t, svc, n2.ID)
		if c[RecipientQueued]+c[RecipientSending] != 0 || c[RecipientCancelled] == 0 || int(c[RecipientSent]) != srv.Count()-300 {
			t.Errorf("after cancel: %v, %d delivered", c, srv.Count()-300)
		}
		if _, err := svc.SetNoticeState(context.Background(), n2.ID, "resume"); !errors.Is(err, ErrInvalid) {
			t.Errorf("resuming a cancelled notice: %v", err)
		}
	})
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNoticeBounceMarksRecipientFailed(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		srv := smtptest.Start(t)
		svc := newTestService(t, openTestStore(t, driver), testConfig(t))
		addCustomers(t, svc, "xiyue", 3, "en")
		n := createNotice(t, svc, false)
		scheduleAndDrain(t, svc, srv, n)
		var recs []NoticeRecipient
		must(t, svc.store.db.Where("notice_id = ?", n.ID).Order("id").Find(&recs).Error)
		forged := strings.Replace(recs[2].MessageID, ".", ".9", 1)
		must(t, svc.store.db.Transaction(func(tx *gorm.DB) error {
			return svc.recordBounces(tx, "xiyue", []string{recs[0].MessageID, forged, "unrelated@example.com"})
		}))
		must(t, svc.store.db.Where("notice_id = ?", n.ID).Order("id").Find(&recs).Error)
		if recs[0].Status != RecipientFailed || !strings.Contains(recs[0].LastError, "bounced") {
			t.Errorf("bounced recipient = %s %q", recs[0].Status, recs[0].LastError)
		}
		if recs[1].Status != RecipientSent || recs[2].Status != RecipientSent {
			t.Errorf("other recipients changed: %s %s", recs[1].Status, recs[2].Status)
		}
	})
}

func TestNoticeReplyThreadsOntoThatCustomersTicket(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		srv := smtptest.Start(t)
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		addCustomers(t, svc, "xiyue", 3, "en")
		n := createNotice(t, svc, false)
		scheduleAndDrain(t, svc, srv, n)
		var recs []NoticeRecipient
		must(t, svc.store.db.Where("notice_id = ?", n.ID).Order("id").Find(&recs).Error)
		reply := func(i int, rec NoticeRecipient, subject string) {
			src := newFakeSource(uint32(100 + i))
			src.add(testmail.Message(1000+i, 0, testmail.Options{From: rec.Email, Subject: subject,
				MessageID: fmt.Sprintf("reply-%d@example.com", i), InReplyTo: rec.MessageID, Body: "Why do you need my phone number?"}))
			pass(t, svc, src)
		}
		reply(0, recs[0], "Re: Privacy policy update")
		reply(1, recs[1], "Re: Privacy policy update")
		reply(2, recs[0], "Re: Privacy policy update (again)")
		type row struct {
			Ref   string
			Email string
			N     int64
		}
		var rows []row
		must(t, store.db.Raw(`SELECT t.ref, c.email, COUNT(m.id) AS n FROM tickets t JOIN customers c ON c.id = t.customer_id
			JOIN messages m ON m.ticket_id = t.id AND m.direction = 'in' GROUP BY t.ref, c.email ORDER BY t.ref`).Scan(&rows).Error)
		if len(rows) != 2 {
			t.Fatalf("tickets = %+v, want one per replying customer", rows)
		}
		got := map[string]int64{}
		for _, r := range rows {
			got[r.Email] = r.N
		}
		if got[recs[0].Email] != 2 || got[recs[1].Email] != 1 {
			t.Errorf("replies per customer's ticket = %v, want %s: 2, %s: 1", got, recs[0].Email, recs[1].Email)
		}
	})
}

// TestNoticeTwoInstancesShareTheSend runs two worker sets, each with its
// own store connection pool, on one database: every recipient gets one
// copy.
func TestNoticeTwoInstancesShareTheSend(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		if driver == "sqlite" {
			t.Skip("several instances share a PostgreSQL database")
		}
		srv := smtptest.Start(t)
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		addCustomers(t, svc, "xiyue", 600, "en")
		n := createNotice(t, svc, false)
		_, err := svc.ScheduleNotice(context.Background(), n.ID)
		must(t, err)
		other, err := OpenStore(context.Background(), StoreOptions{Driver: "postgres", DSN: storeDSN(t, store)})
		must(t, err)
		defer other.Close()
		svc2 := newTestService(t, other, testConfig(t))
		var wg sync.WaitGroup
		for _, s := range []*Service{svc, svc2} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				must(t, s.DrainNotices(context.Background(), OutboxOptions{Workers: 3, Holder: NewHolderID(), ClaimBatch: 5, NewSender: senderTo(srv)}))
			}()
		}
		wg.Wait()
		per := map[string]int{}
		for _, r := range srv.Messages() {
			per[r.To[0]]++
		}
		dups := 0
		for _, c := range per {
			dups += c - 1
		}
		if len(per) != 600 || dups != 0 {
			t.Errorf("%d recipients reached, %d duplicates; want 600 and 0", len(per), dups)
		}
		var holders []string
		must(t, store.db.Model(&NoticeRecipient{}).Distinct().Pluck("claimed_by", &holders).Error)
		if c := recipientsByStatus(t, svc, n.ID); c[RecipientSent] != 600 {
			t.Errorf("counts = %v", c)
		}
	})
}

// storeDSN recovers the DSN openTestStore used (its search_path names the
// test's schema).
func storeDSN(t *testing.T, s *Store) string {
	t.Helper()
	var schema string
	must(t, s.db.Raw(`SELECT current_schema()`).Scan(&schema).Error)
	base := strings.Split(testPostgresURL(), "?")
	return base[0] + "?sslmode=disable&search_path=" + schema
}

func testPostgresURL() string { return os.Getenv("HELPDESK_TEST_POSTGRES") }

// TestNoticeLayoutMatchesFullRender checks that filling the once-per-
// language layout gives exactly what rendering the template for the
// recipient gives, for names HTML escapes, names the layout must refuse
// (edge or double spaces, control characters) and no name at all.
func TestNoticeLayoutMatchesFullRender(t *testing.T) {
	svc := newTestService(t, openTestStore(t, "sqlite"), testConfig(t))
	for _, core := range []bool{false, true} {
		n := createNotice(t, svc, core)
		run, err := svc.loadNoticeRun(context.Background(), n)
		must(t, err)
		for _, tc := range []struct {
			name, email, lang string
			fast              bool
		}{
			{"Alex Chen", "alex@example.com", "en", true},
			{`Zoë "Q" <b>O'Brien</b> & Co + 1`, "a+b&c@example.com", "en", true},
			{"王芳", "wang@example.cn", "zh", true},
			{"", "anon@example.com", "en", true},
			{" lead", "x@example.com", "en", false},
			{"double  space", "x@example.com", "en", false},
			{"tab\tname", "x@example.com", "en", false},
			{"line\nbreak", "x@example.com", "zh", false},
		} {
			t.Run(fmt.Sprintf("core=%v/%q", core, tc.name), func(t *testing.T) {
				v := noticeVars{name: tc.name, email: tc.email}
				if !core {
					v.token = noticeToken(run.secret, n.ID, 42)
				}
				if got := substitutable(tc.name) && substitutable(tc.email); got != tc.fast {
					t.Fatalf("substitutable = %v, want %v", got, tc.fast)
				}
				got, err := svc.renderNotice(run, tc.lang, v)
				must(t, err)
				want, err := svc.renderNoticeFull(run, tc.lang, v)
				must(t, err)
				if got != want {
					t.Fatalf("layout render differs from full render:\n got %+v\nwant %+v", got, want)
				}
				if tc.fast && (strings.Contains(got.Text, "HDNOTICEPH") || strings.Contains(got.HTML, "HDNOTICEPH")) {
					t.Fatal("a placeholder was left in the mail")
				}
			})
		}
		if l, err := svc.noticeLayout(run, layoutKey{lang: "en", named: true}); err != nil || l == nil {
			t.Fatalf("the shipped English notice template should be fillable (err %v)", err)
		}
	}
}
