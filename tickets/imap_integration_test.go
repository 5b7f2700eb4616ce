package tickets

import (
	"bytes"
	"context"
	"helpdesk/mailbox"
	"testing"
	"time"

	"helpdesk/config"
	"helpdesk/internal/testmail"
	"helpdesk/mailbox/imaptest"
)

// imapServers runs fn against the in-memory server and, when the test
// environment has one, against real Dovecot.
func imapServers(t *testing.T, fn func(t *testing.T, srv *imaptest.Server)) {
	t.Run("memserver", func(t *testing.T) { fn(t, imaptest.StartMemServer(t)) })
	t.Run("dovecot", func(t *testing.T) { fn(t, imaptest.Dovecot(t)) })
}

// imapConfig points the test brand at srv.
func imapConfig(t testing.TB, srv *imaptest.Server) *config.Config {
	cfg := testConfig(t)
	b := &cfg.Brands[0]
	b.IMAP.Host, b.IMAP.Port, b.IMAP.Username, b.IMAP.Password = srv.Host, srv.Port, srv.Username, srv.Password
	b.IMAP.Folder = srv.Folder
	return cfg
}

func pollReal(t *testing.T, svc *Service) PassStats {
	t.Helper()
	st, skipped, err := svc.PollOnce(context.Background(), &svc.cfg.Brands[0], DialIMAP, "test", IngestOptions{BatchSize: 50})
	if err != nil {
		t.Fatal(err)
	}
	if skipped {
		t.Fatal("poll skipped: lease held")
	}
	return st
}

func mails(from, n int) [][]byte {
	var out [][]byte
	for i := from; i < from+n; i++ {
		out = append(out, testmail.Message(i, 0, testmail.Options{}))
	}
	return out
}

func TestIMAPIngestExactlyOnce(t *testing.T) {
	imapServers(t, func(t *testing.T, srv *imaptest.Server) {
		ctx := context.Background()
		srv.Append(ctx, t, srv.Folder, mails(0, 120)...)
		svc := newTestService(t, openTestStore(t, "sqlite"), imapConfig(t, srv))
		st := pollReal(t, svc)
		if st.Stored != 120 || st.NewTickets != 120 {
			t.Fatalf("first poll = %+v, want 120 stored and 120 tickets", st)
		}
		st = pollReal(t, svc)
		if st.Fetched != 0 {
			t.Fatalf("second poll fetched %d, want nothing new", st.Fetched)
		}
		srv.Append(ctx, t, srv.Folder, mails(120, 3)...)
		if st = pollReal(t, svc); st.Stored != 3 {
			t.Fatalf("third poll = %+v, want the 3 new", st)
		}
		if n := countIncoming(t, svc.store); n != 123 {
			t.Errorf("stored %d messages, want 123", n)
		}
	})
}

func TestIMAPUIDValidityChange(t *testing.T) {
	imapServers(t, func(t *testing.T, srv *imaptest.Server) {
		ctx := context.Background()
		srv.Append(ctx, t, srv.Folder, mails(0, 10)...)
		svc := newTestService(t, openTestStore(t, "sqlite"), imapConfig(t, srv))
		pollReal(t, svc)
		srv.RecreateFolder(ctx, t, srv.Folder)
		srv.Append(ctx, t, srv.Folder, mails(0, 12)...)
		st := pollReal(t, svc)
		if !st.Resynced || st.Stored != 2 || st.Duplicates != 10 {
			t.Fatalf("after UIDVALIDITY change: %+v, want resync, 2 new, 10 duplicates", st)
		}
		if n := countIncoming(t, svc.store); n != 12 {
			t.Errorf("stored %d, want 12", n)
		}
	})
}

func TestIMAPAfterImport(t *testing.T) {
	imapServers(t, func(t *testing.T, srv *imaptest.Server) {
		ctx := context.Background()
		t.Run("seen", func(t *testing.T) {
			srv.Append(ctx, t, srv.Folder, mails(0, 5)...)
			cfg := imapConfig(t, srv)
			cfg.Brands[0].IMAP.AfterImport = "seen"
			svc := newTestService(t, openTestStore(t, "sqlite"), cfg)
			pollReal(t, svc)
			if total, unseen := srv.Count(ctx, t, srv.Folder); total != 5 || unseen != 0 {
				t.Errorf("after import: %d messages, %d unseen; want 5, 0", total, unseen)
			}
		})
		t.Run("move", func(t *testing.T) {
			// A fresh folder: the seen subtest left its mail in srv's.
			if srv.Kind == imaptest.KindMemServer {
				srv = imaptest.StartMemServer(t)
			} else {
				srv = imaptest.Dovecot(t)
			}
			srv.Append(ctx, t, srv.Folder, mails(10, 4)...)
			cfg := imapConfig(t, srv)
			dest := srv.Folder + "-done"
			cfg.Brands[0].IMAP.AfterImport = "move:" + dest
			svc := newTestService(t, openTestStore(t, "sqlite"), cfg)
			pollReal(t, svc)
			if total, _ := srv.Count(ctx, t, srv.Folder); total != 0 {
				t.Errorf("%d messages left in the folder after move", total)
			}
			if total, _ := srv.Count(ctx, t, dest); total != 4 {
				t.Errorf("%d messages in %s, want 4", total, dest)
			}
			srv.Append(ctx, t, srv.Folder, mails(20, 1)...)
			if st := pollReal(t, svc); st.Stored != 1 {
				t.Errorf("after the move a new message: %+v", st)
			}
		})
	})
}

func TestIMAPIdleMakesATicketWithinSeconds(t *testing.T) {
	imapServers(t, func(t *testing.T, srv *imaptest.Server) {
		cfg := imapConfig(t, srv)
		cfg.Brands[0].IMAP.PollInterval = config.Duration(time.Hour) // only IDLE can be fast
		svc := newTestService(t, openTestStore(t, "sqlite"), cfg)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() { done <- svc.RunMailbox(ctx, &cfg.Brands[0], DialIMAP, "idle-test", IngestOptions{}) }()
		defer func() { cancel(); <-done }()
		// Let the first pass finish and IDLE begin.
		time.Sleep(500 * time.Millisecond)
		delivered := time.Now()
		srv.Append(context.Background(), t, srv.Folder, testmail.Message(7, 0, testmail.Options{}))
		for time.Since(delivered) < 5*time.Second {
			if list, _ := svc.ListTickets(context.Background(), ListFilter{}); len(list) == 1 {
				t.Logf("ticket %s %v after delivery", list[0].Ref, time.Since(delivered).Round(time.Millisecond))
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatal("no ticket within 5s of delivery while idling")
	})
}

// TestIMAPLargeAttachment ingests a 7 MB message: it is fetched outside
// the Go heap, its 5 MB attachment is sized but not decoded, and its raw
// bytes are stored in chunks, from which the attachment and the exact
// message come back.
func TestIMAPLargeAttachment(t *testing.T) {
	imapServers(t, func(t *testing.T, srv *imaptest.Server) {
		sent := testmail.WithAttachment(1, 5<<20)
		srv.Append(context.Background(), t, srv.Folder, sent)
		forEachDriver(t, func(t *testing.T, driver string) {
			svc := newTestService(t, openTestStore(t, driver), imapConfig(t, srv))
			pollReal(t, svc)
			var a Attachment
			must(t, svc.store.db.First(&a).Error)
			if a.Filename != "photos.zip" || a.Size != 5<<20 || a.Data != nil {
				t.Errorf("attachment = %s %d bytes (%d stored apart; want 0: large attachments live in the raw message)", a.Filename, a.Size, len(a.Data))
			}
			content, err := svc.AttachmentContent(svc.store.db, &a)
			must(t, err)
			want := mailbox.Parse(sent, mailbox.ParseOptions{}).Attachments[0].Content
			if !bytes.Equal(content, want) {
				t.Errorf("attachment content from the raw message: %d bytes, differs from what was sent", len(content))
			}
			var m Message
			must(t, svc.store.db.Where("direction = ?", DirectionIn).First(&m).Error)
			raw, err := loadRaw(svc.store.db, *m.RawID)
			must(t, err)
			if !bytes.Equal(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), bytes.ReplaceAll(sent, []byte("\r\n"), []byte("\n"))) {
				t.Errorf("stored raw message: %d bytes, differs from the %d sent", len(raw), len(sent))
			}
			if n := countRows(t, svc.store, "raw_chunks"); n < 6 {
				t.Errorf("raw_chunks = %d rows, want the message in 1 MiB chunks", n)
			}
		})
	})
}
