package classify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDebugErrors(t *testing.T) {
	if os.Getenv("CLS_DEBUG") == "" {
		t.Skip()
	}
	c, _ := New()
	dir := filepath.Join("testdata", "corpus", os.Getenv("CLS_DEBUG_DIR"))
	r, _ := Eval(c, dir)
	for _, e := range r.Errors {
		m, _ := ParseFile(filepath.Join(dir, e.File))
		in := InputFromMessage(m)
		fmt.Printf("=== %s want %s got %s\nSUBJ: %s\nAUTO: %v %v\nTEXT: %s\nREASONS: %s\n", e.File, e.Want, e.Got, in.Subject, m.Automated, m.AutomatedReasons, strings.ReplaceAll(in.Text, "\n", " / "), strings.Join(e.Reasons, " | "))
	}
}
