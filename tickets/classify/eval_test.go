package classify

import (
	"os"
	"path/filepath"
	"testing"
)

// TestHeldOutEval asserts the accuracy targets on the held-out split, which
// the embedded model never saw.
func TestHeldOutEval(t *testing.T) {
	c, err := New()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Eval(c, filepath.Join("testdata", "corpus", HeldOutDir))
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		r.WriteText(os.Stdout)
	}
	checks := []struct {
		name      string
		got, want float64
	}{
		{"category accuracy", r.CategoryAccuracy, 0.95},
		{"rights recall", r.RightsRecall, 0.98},
		{"rights_type accuracy", r.RightsTypeAccuracy, 0.90},
		{"automated precision", r.AutomatedPrecision, 0.98},
		{"automated recall", r.AutomatedRecall, 0.98},
	}
	for _, ch := range checks {
		if ch.got < ch.want {
			t.Errorf("%s = %.3f, want >= %.2f", ch.name, ch.got, ch.want)
		}
	}
	if r.Messages < 100 {
		t.Errorf("held-out split has %d messages, want >= 100", r.Messages)
	}
}
