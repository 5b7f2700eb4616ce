package templates

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current templates")

// TestGolden renders every shipped template in every language it has with
// SampleData and compares subject, text and HTML with the reviewed files
// under testdata/golden. Run `go test ./templates -run Golden -update`
// after an intended wording change and read the diff.
func TestGolden(t *testing.T) {
	s := mustLoad(t, "")
	seen := map[string]bool{}
	for _, info := range s.List() {
		for _, lang := range info.Langs {
			t.Run(info.Name+"."+lang, func(t *testing.T) {
				r, err := s.Preview(info.Name, lang, nil)
				if err != nil {
					t.Fatal(err)
				}
				if r.Lang != lang {
					t.Fatalf("Lang = %q, want %q", r.Lang, lang)
				}
				got := goldenText(r)
				file := filepath.Join("testdata", "golden", info.Name+"."+lang+".golden")
				seen[filepath.Base(file)] = true
				if *update {
					if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from the rendering; run with -update and review the diff\n--- got ---\n%s", file, got)
				}
			})
		}
	}
	// A golden file without a template means a template was dropped.
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !seen[e.Name()] {
			if *update {
				_ = os.Remove(filepath.Join("testdata", "golden", e.Name()))
				continue
			}
			t.Errorf("stale golden file %s: no template renders it", e.Name())
		}
	}
}

func goldenText(r Rendered) string {
	var b strings.Builder
	b.WriteString("Subject: " + r.Subject + "\n")
	b.WriteString("Lang: " + r.Lang + "\n")
	b.WriteString("\n===== text =====\n")
	b.WriteString(r.Text)
	if r.HTML != "" {
		b.WriteString("\n===== html =====\n")
		b.WriteString(r.HTML)
	}
	return b.String()
}

func mustLoad(t testing.TB, dir string) *Set {
	t.Helper()
	s, err := Load(dir)
	if err != nil {
		t.Fatalf("Load(%q): %v", dir, err)
	}
	return s
}
