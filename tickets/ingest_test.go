package tickets

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"helpdesk/config"
	"helpdesk/internal/testmail"
)

func pass(t *testing.T, svc *Service, src Source) PassStats {
	t.Helper()
	st, err := svc.NewIngester(&svc.cfg.Brands[0], IngestOptions{BatchSize: 7}).Pass(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestIngestExactlyOnce(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		src := generatedSource(30, 3000)
		st := pass(t, svc, src)
		if st.Stored != 30 || st.NewTickets != 30 || st.LastUID != 30 {
			t.Fatalf("first pass = %+v, want 30 stored, 30 tickets, last uid 30", st)
		}
		st = pass(t, svc, src)
		if st.Fetched != 0 {
			t.Fatalf("second pass fetched %d, want 0", st.Fetched)
		}
		if n := countIncoming(t, store); n != 30 {
			t.Errorf("messages = %d, want 30", n)
		}
		if n := countRows(t, store, "tickets"); n != 30 {
			t.Errorf("tickets = %d, want 30", n)
		}
		// The same mail delivered again under new UIDs is a duplicate.
		src.add(testmail.Message(3, 3000, testmail.Options{}))
		st = pass(t, svc, src)
		if st.Duplicates != 1 || st.Stored != 0 {
			t.Errorf("redelivery pass = %+v, want one duplicate", st)
		}
		list, err := svc.ListTickets(context.Background(), ListFilter{})
		must(t, err)
		if list[0].Ref != "XY-1001" || list[29].Ref != "XY-1030" {
			t.Errorf("refs = %s..%s, want XY-1001..XY-1030", list[0].Ref, list[29].Ref)
		}
		if !strings.HasPrefix(list[1].Subject, "请问我的订单什么时候发货") {
			t.Errorf("GBK subject decoded as %q", list[1].Subject)
		}
	})
}

func TestIngestUIDValidityChangeResyncsWithoutDuplicates(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		src := newFakeSource(100)
		for i := 0; i < 5; i++ {
			src.add(testmail.Message(i, 2000, testmail.Options{}))
		}
		pass(t, svc, src)
		// The server renumbers: same five messages plus two new, new validity.
		src2 := newFakeSource(200)
		for i := 0; i < 7; i++ {
			src2.add(testmail.Message(i, 2000, testmail.Options{}))
		}
		st := pass(t, svc, src2)
		if !st.Resynced || st.Stored != 2 || st.Duplicates != 5 {
			t.Fatalf("resync pass = %+v, want resynced, 2 stored, 5 duplicates", st)
		}
		cp, err := svc.checkpoint(context.Background(), "xiyue", "INBOX")
		must(t, err)
		if cp.UIDValidity != 200 || cp.LastUID != 7 {
			t.Errorf("checkpoint = %+v, want validity 200 last 7", cp)
		}
	})
}

func TestIngestMissingAndReusedMessageIDs(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		noID := testmail.Message(1, 2000, testmail.Options{MessageID: "-"})
		reusedA := testmail.Message(2, 2000, testmail.Options{MessageID: "same@broken.example"})
		reusedB := testmail.Message(3, 2000, testmail.Options{MessageID: "same@broken.example"})
		// Each is delivered again later: the one keyed by its Message-ID,
		// the one keyed by content although its Message-ID is taken, and
		// the one without a Message-ID.
		src := newFakeSource(1, noID, reusedA, reusedB, noID, reusedB, reusedA)
		st := pass(t, svc, src)
		if st.Stored != 3 || st.Duplicates != 3 {
			t.Fatalf("pass = %+v, want 3 stored (two sharing a reused Message-ID) and 3 duplicates", st)
		}
		var keys []string
		must(t, store.db.Model(&Message{}).Where("direction = ?", DirectionIn).Order("id").Pluck("dedupe_key", &keys).Error)
		if len(keys) != 3 || !strings.HasPrefix(keys[0], "hash:") || keys[1] != "mid:same@broken.example" || !strings.HasPrefix(keys[2], "hash:") {
			t.Errorf("dedupe keys = %v", keys)
		}
	})
}

func TestIngestOneBadMessageDoesNotBlock(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		src := newFakeSource(1, testmail.Message(1, 2000, testmail.Options{}))
		src.bad[2] = errors.New("server could not read the message")
		src.msgs[3] = []byte("Subject: broken\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--y\r\nnot closed \x00 NUL and \xff\xfe bytes")
		src.msgs[4] = testmail.Message(4, 2000, testmail.Options{})
		st := pass(t, svc, src)
		if st.Stored != 3 || st.Quarantined != 1 || st.LastUID != 4 {
			t.Fatalf("pass = %+v, want 3 stored, 1 quarantined, last uid 4", st)
		}
		var q Quarantine
		must(t, store.db.First(&q).Error)
		if q.UID != 2 || !strings.Contains(q.Reason, "could not read") {
			t.Errorf("quarantine = %+v", q)
		}
		var broken Message
		must(t, store.db.Where("uid = ?", 3).First(&broken).Error)
		if broken.RawID == nil {
			t.Error("broken message stored without its raw bytes")
		}
	})
}

func TestIngestConnectionLossKeepsCheckpointHonest(t *testing.T) {
	store := openTestStore(t, "sqlite")
	svc := newTestService(t, store, testConfig(t))
	src := generatedSource(20, 2000)
	src.failAt = 12
	_, err := svc.NewIngester(&svc.cfg.Brands[0], IngestOptions{BatchSize: 5}).Pass(context.Background(), src)
	if err == nil {
		t.Fatal("pass succeeded over a lost connection")
	}
	cp, err := svc.checkpoint(context.Background(), "xiyue", "INBOX")
	must(t, err)
	if n := countIncoming(t, store); int64(cp.LastUID) != n {
		t.Errorf("checkpoint at uid %d but %d messages stored", cp.LastUID, n)
	}
	src.failAt = 0
	pass(t, svc, src)
	if n := countIncoming(t, store); n != 20 {
		t.Errorf("after reconnect: %d messages, want 20", n)
	}
}

func TestThreading(t *testing.T) {
	forEachDriver(t, func(t *testing.T, driver string) {
		store := openTestStore(t, driver)
		svc := newTestService(t, store, testConfig(t))
		first := testmail.Message(1, 500, testmail.Options{From: "ann@example.com", MessageID: "first@example.com", Subject: "Ring size"})
		reply := testmail.Message(2, 500, testmail.Options{From: "ann@example.com", MessageID: "second@example.com", InReplyTo: "first@example.com", Subject: "Re: Ring size"})
		tagged := testmail.Message(3, 500, testmail.Options{From: "ANN@Example.com", Subject: "Re: [XY-1001] Ring size"})
		stranger := testmail.Message(4, 500, testmail.Options{From: "mallory@evil.example", Subject: "Re: [XY-1001] Ring size"})
		otherBrandTag := testmail.Message(5, 500, testmail.Options{From: "bob@example.com", Subject: "[HG-1001] cup holder"})
		src := newFakeSource(1, first, reply, tagged, stranger, otherBrandTag)
		st := pass(t, svc, src)
		if st.NewTickets != 3 {
			t.Fatalf("new tickets = %d, want 3 (ann's, the stranger's, bob's)", st.NewTickets)
		}
		v, err := svc.ShowTicket(context.Background(), "XY-1001")
		must(t, err)
		if n := countDirection(v.Messages, DirectionIn); n != 3 {
			t.Fatalf("XY-1001 has %d incoming messages, want 3 (first, reply, tagged)", n)
		}
		if v.Subject != "Ring size" || v.Customer != "ann@example.com" {
			t.Errorf("ticket = %q from %q", v.Subject, v.Customer)
		}
		s, err := svc.ShowTicket(context.Background(), "XY-1002")
		must(t, err)
		if s.Customer != "mallory@evil.example" {
			t.Errorf("stranger's mail landed on %s of %s", s.Ref, s.Customer)
		}
	})
}

func TestAutomatedMailOpensNoTicketUnlessThreaded(t *testing.T) {
	store := openTestStore(t, "sqlite")
	svc := newTestService(t, store, testConfig(t))
	first := testmail.Message(1, 500, testmail.Options{From: "ann@example.com", MessageID: "first@example.com"})
	ooo := testmail.Message(2, 500, testmail.Options{From: "ann@example.com", InReplyTo: "first@example.com",
		Subject: "Out of office", Extra: "Auto-Submitted: auto-replied\r\n"})
	news := testmail.Message(3, 500, testmail.Options{From: "news@shop.example", Subject: "Weekly deals",
		Extra: "List-Id: <deals.shop.example>\r\nPrecedence: bulk\r\n"})
	st := pass(t, svc, newFakeSource(1, first, ooo, news))
	if st.Stored != 3 || st.NewTickets != 1 {
		t.Fatalf("pass = %+v, want 3 stored and 1 ticket", st)
	}
	var unthreaded []Message
	must(t, store.db.Where("ticket_id IS NULL").Find(&unthreaded).Error)
	if len(unthreaded) != 1 || !unthreaded[0].Automated || unthreaded[0].FromEmail != "news@shop.example" {
		t.Errorf("unthreaded = %+v, want only the newsletter, automated", unthreaded)
	}
	v, err := svc.ShowTicket(context.Background(), "XY-1001")
	must(t, err)
	var in []MessageView
	for _, m := range v.Messages {
		if m.Direction == DirectionIn {
			in = append(in, m)
		}
	}
	if len(in) != 2 || !in[1].Automated {
		t.Errorf("incoming messages = %+v, want the auto-reply threaded and flagged", in)
	}
	// The auto-reply itself gets no acknowledgement: one ack in all.
	if n := countRows(t, store, "outbox"); n != 1 {
		t.Errorf("outbox rows = %d, want 1 (the first mail's acknowledgement)", n)
	}
}

func TestCustomerReplyReopensPendingTicket(t *testing.T) {
	store := openTestStore(t, "sqlite")
	svc := newTestService(t, store, testConfig(t))
	src := newFakeSource(1, testmail.Message(1, 500, testmail.Options{From: "ann@example.com", MessageID: "a@example.com"}))
	pass(t, svc, src)
	must(t, store.db.Model(&Ticket{}).Where("ref = ?", "XY-1001").Update("status", StatusPending).Error)
	src.add(testmail.Message(2, 500, testmail.Options{From: "ann@example.com", InReplyTo: "a@example.com"}))
	pass(t, svc, src)
	v, err := svc.ShowTicket(context.Background(), "XY-1001")
	must(t, err)
	if v.Status != StatusOpen {
		t.Errorf("status = %s, want open after the customer wrote back", v.Status)
	}
}

func TestListFilters(t *testing.T) {
	store := openTestStore(t, "sqlite")
	svc := newTestService(t, store, testConfig(t))
	var raws [][]byte
	for i := 0; i < 6; i++ {
		raws = append(raws, testmail.Message(i, 500, testmail.Options{}))
	}
	pass(t, svc, newFakeSource(1, raws...))
	must(t, store.db.Model(&Ticket{}).Where("number % 2 = 0").Update("status", StatusResolved).Error)
	for _, tc := range []struct {
		f    ListFilter
		want int
	}{
		{ListFilter{}, 6},
		{ListFilter{Status: StatusResolved}, 3},
		{ListFilter{Limit: 2}, 2},
		{ListFilter{Brand: "other"}, 0},
	} {
		got, err := svc.ListTickets(context.Background(), tc.f)
		must(t, err)
		if len(got) != tc.want {
			t.Errorf("%+v: %d tickets, want %d", tc.f, len(got), tc.want)
		}
	}
	empty, _ := svc.ListTickets(context.Background(), ListFilter{Brand: "none"})
	if empty == nil || len(empty) != 0 {
		t.Errorf("empty list must be non-nil so JSON prints []")
	}
}

func countDirection(ms []MessageView, dir string) int {
	n := 0
	for _, m := range ms {
		if m.Direction == dir {
			n++
		}
	}
	return n
}

func countIncoming(t *testing.T, s *Store) int64 {
	t.Helper()
	var n int64
	must(t, s.db.Model(&Message{}).Where("direction = ?", DirectionIn).Count(&n).Error)
	return n
}

// RunMailbox reconnects after failed dials (backoff from 1 s) and ingests
// once the server answers.
func TestRunMailboxReconnects(t *testing.T) {
	store := openTestStore(t, "sqlite")
	svc := newTestService(t, store, testConfig(t))
	src := newFakeSource(1, testmail.Message(1, 500, testmail.Options{}))
	var dials atomic.Int32
	dial := func(ctx context.Context, b *config.Brand) (Source, error) {
		if dials.Add(1) <= 2 {
			return nil, errors.New("connection refused")
		}
		return src, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- svc.RunMailbox(ctx, &svc.cfg.Brands[0], dial, "reconnect-test", IngestOptions{}) }()
	deadline := time.Now().Add(15 * time.Second)
	for countIncoming(t, store) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := countIncoming(t, store); n != 1 {
		t.Fatalf("stored %d messages after %d dials, want 1", n, dials.Load())
	}
	if dials.Load() < 3 {
		t.Errorf("%d dials, want the two failures and a success", dials.Load())
	}
}
