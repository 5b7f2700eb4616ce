package imapsource_test

import (
	"slices"
	"testing"

	"helpdesk/mailbox/imapsource"
	"helpdesk/mailbox/imaptest"
)

func TestApplyAfterImport(t *testing.T) {
	tests := []struct {
		name        string
		afterImport string // "move:" gets the test's own destination appended
		mem         imaptest.MemOptions
		memOnly     bool
		// after applying up to the 3rd of 5 messages:
		wantTotal, wantUnseen, wantMoved int
	}{
		{"none", "none", imaptest.MemOptions{}, false, 5, 5, 0},
		{"seen", "seen", imaptest.MemOptions{}, false, 5, 2, 0},
		{"move", "move:", imaptest.MemOptions{}, false, 2, 2, 3},
		{"move without MOVE", "move:", imaptest.MemOptions{NoMove: true}, true, 2, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kinds := []serverKind{{imaptest.KindMemServer, func(t testing.TB) *imaptest.Server { return imaptest.StartMemServerWith(t, tt.mem) }}}
			if !tt.memOnly {
				kinds = append(kinds, serverKind{imaptest.KindDovecot, imaptest.Dovecot})
			}
			for _, k := range kinds {
				t.Run(k.name, func(t *testing.T) {
					t.Parallel()
					srv := k.start(t)
					ctx := testCtx(t)
					dest := srv.Folder + "-done"
					opts := srv.Options()
					opts.AfterImport = tt.afterImport
					if tt.afterImport == "move:" {
						opts.AfterImport += dest
					}
					appendN(t, srv, 5)
					s := dial(t, opts)
					uids, err := s.NewUIDs(ctx, 0)
					if err != nil {
						t.Fatal(err)
					}
					// Twice: the second call must find nothing left to do.
					for range 2 {
						if err := s.ApplyAfterImport(ctx, uids[2]); err != nil {
							t.Fatalf("ApplyAfterImport: %v", err)
						}
					}
					total, unseen := srv.Count(ctx, t, "")
					if total != tt.wantTotal || unseen != tt.wantUnseen {
						t.Errorf("folder has %d messages, %d unseen; want %d, %d", total, unseen, tt.wantTotal, tt.wantUnseen)
					}
					if tt.wantMoved > 0 {
						moved, _ := srv.Count(ctx, t, dest)
						if moved != tt.wantMoved {
							t.Errorf("destination has %d messages, want %d", moved, tt.wantMoved)
						}
					}
					// Uncommitted messages stay findable and fetchable.
					rest, err := s.NewUIDs(ctx, uids[2])
					if err != nil || !slices.Equal(rest, uids[3:]) {
						t.Errorf("NewUIDs after ApplyAfterImport = %v, %v; want %v", rest, err, uids[3:])
					}
					if got := fetchAll(t, s, rest); len(got) != 2 || got[0].bad != nil || got[1].bad != nil {
						t.Errorf("fetching the remaining messages: %d results", len(got))
					}
				})
			}
		})
	}
}

func TestApplyAfterImportMoveAfterCrash(t *testing.T) {
	// A crash between commit and ApplyAfterImport: a new session with the
	// committed checkpoint moves what the dead one did not.
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		ctx := testCtx(t)
		opts := srv.Options()
		opts.AfterImport = "move:" + srv.Folder + "-done"
		appendN(t, srv, 3)
		first := dial(t, opts)
		uids, err := first.NewUIDs(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		first.Close() // "crash" before ApplyAfterImport

		second := dial(t, opts)
		if err := second.ApplyAfterImport(ctx, uids[len(uids)-1]); err != nil {
			t.Fatal(err)
		}
		if total, _ := srv.Count(ctx, t, ""); total != 0 {
			t.Errorf("%d messages left in the folder, want 0", total)
		}
		if moved, _ := srv.Count(ctx, t, srv.Folder+"-done"); moved != 3 {
			t.Errorf("%d messages moved, want 3", moved)
		}
	})
}

func TestUIDValidityChange(t *testing.T) {
	forEachServer(t, func(t *testing.T, srv *imaptest.Server) {
		ctx := testCtx(t)
		appendN(t, srv, 2)
		s := dial(t, srv.Options())
		before := s.UIDValidity()
		s.Close()

		after := srv.RecreateFolder(ctx, t, "")
		appendN(t, srv, 1)
		s2 := dial(t, srv.Options())
		if s2.UIDValidity() != after || after == before {
			t.Fatalf("UIDValidity = %d after recreate (server says %d), before %d", s2.UIDValidity(), after, before)
		}
		uids, err := s2.NewUIDs(ctx, 0)
		if err != nil || len(uids) != 1 {
			t.Errorf("NewUIDs(0) in the recreated folder = %v, %v; want one message", uids, err)
		}
	})
}

func TestApplyAfterImportZero(t *testing.T) {
	srv := imaptest.StartMemServer(t)
	appendN(t, srv, 2)
	opts := srv.Options()
	opts.AfterImport = imapsource.AfterImportSeen
	s := dial(t, opts)
	if err := s.ApplyAfterImport(testCtx(t), 0); err != nil {
		t.Fatal(err)
	}
	if _, unseen := srv.Count(testCtx(t), t, ""); unseen != 2 {
		t.Errorf("ApplyAfterImport(0) marked messages: %d unseen, want 2", unseen)
	}
}
