package classify

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/classify_golden.tsv from the current classifier")

// TestClassifyGolden pins every result on the corpus, confidence to six
// decimals and reasons included, so a speed-up that changes any answer
// fails here. After a deliberate change (model, rules), regenerate with
//
//	go test ./tickets/classify/ -run Golden -update
func TestClassifyGolden(t *testing.T) {
	c := newTestClassifier(t)
	dir := filepath.Join("testdata", "corpus")
	var out bytes.Buffer
	for _, sub := range []string{".", HeldOutDir} {
		labels, err := ReadLabels(filepath.Join(dir, sub, LabelsFile))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range labels {
			m, err := ParseFile(filepath.Join(dir, sub, l.File))
			if err != nil {
				t.Fatal(err)
			}
			r := c.ClassifyMessage(m)
			reasons, _ := json.Marshal(r.Reasons)
			rt := "null"
			if r.RightsType != nil {
				rt = *r.RightsType
			}
			fmt.Fprintf(&out, "%s/%s\t%s\t%s\t%v\t%s\t%.6f\t%s\n", sub, l.File, r.Category, rt, r.Automated, r.Language, r.Confidence, reasons)
		}
	}
	golden := filepath.Join("testdata", "classify_golden.tsv")
	if *updateGolden {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		gotLines, wantLines := bytes.Split(out.Bytes(), []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := range min(len(gotLines), len(wantLines)) {
			if !bytes.Equal(gotLines[i], wantLines[i]) {
				t.Fatalf("results differ from %s at line %d:\n got %s\nwant %s", golden, i+1, gotLines[i], wantLines[i])
			}
		}
		t.Fatalf("results differ from %s: %d lines, want %d", golden, len(gotLines), len(wantLines))
	}
}
