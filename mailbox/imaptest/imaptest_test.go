package imaptest_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"helpdesk/mailbox/imaptest"
)

func servers() []struct {
	name  string
	start func(testing.TB) *imaptest.Server
} {
	return []struct {
		name  string
		start func(testing.TB) *imaptest.Server
	}{
		{imaptest.KindMemServer, imaptest.StartMemServer},
		{imaptest.KindDovecot, imaptest.Dovecot},
	}
}

func ctxFor(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestHelpers(t *testing.T) {
	for _, k := range servers() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			srv := k.start(t)
			ctx := ctxFor(t)
			if srv.Kind != k.name || srv.Folder == "" {
				t.Fatalf("server kind %q folder %q", srv.Kind, srv.Folder)
			}
			raws := [][]byte{imaptest.Message(1, "one"), imaptest.Message(2, "two"), imaptest.Message(3, "three")}
			srv.Append(ctx, t, "", raws...)
			if total, unseen := srv.Count(ctx, t, ""); total != 3 || unseen != 3 {
				t.Errorf("Count = %d, %d; want 3, 3", total, unseen)
			}

			dir := t.TempDir()
			n, err := imaptest.BareFetchToDir(ctx, srv.Options(), dir)
			if err != nil || n != 3 {
				t.Fatalf("BareFetchToDir = %d, %v; want 3", n, err)
			}
			for i, raw := range raws {
				got, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("%d.eml", i+1)))
				if err != nil || !bytes.Equal(got, raw) {
					t.Errorf("file %d.eml: %v, content equal = %v", i+1, err, bytes.Equal(got, raw))
				}
			}
			if _, unseen := srv.Count(ctx, t, ""); unseen != 3 {
				t.Errorf("BareFetchToDir changed flags: %d unseen, want 3", unseen)
			}

			srv.Expunge(ctx, t, "", 2)
			if total, _ := srv.Count(ctx, t, ""); total != 2 {
				t.Errorf("after Expunge: %d messages, want 2", total)
			}

			srv.RecreateFolder(ctx, t, "") // fails the test itself if UIDVALIDITY stays
			if total, _ := srv.Count(ctx, t, ""); total != 0 {
				t.Errorf("after RecreateFolder: %d messages, want 0", total)
			}

			other := srv.Folder + "-other"
			srv.CreateFolder(ctx, t, other)
			srv.CreateFolder(ctx, t, other) // exists: fine
			srv.Append(ctx, t, other, raws[0])
			if total, _ := srv.Count(ctx, t, other); total != 1 {
				t.Errorf("second folder: %d messages, want 1", total)
			}
		})
	}
}

func TestDovecotFoldersAreUnique(t *testing.T) {
	a := imaptest.Dovecot(t)
	b := imaptest.Dovecot(t)
	if a.Folder == b.Folder {
		t.Fatalf("two Dovecot calls share folder %q", a.Folder)
	}
	if strings.ContainsAny(a.Folder, "./") {
		t.Errorf("folder %q contains a hierarchy character", a.Folder)
	}
	ctx := ctxFor(t)
	a.Append(ctx, t, "", imaptest.Message(1, "only in a"))
	if total, _ := b.Count(ctx, t, ""); total != 0 {
		t.Errorf("b sees %d messages appended to a", total)
	}
}
