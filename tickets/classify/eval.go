package classify

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
)

// ClassMetrics are precision, recall and F1 of one class.
type ClassMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"` // true messages of the class
}

// EvalError is one misclassified message.
type EvalError struct {
	File    string   `json:"file"`
	Want    string   `json:"want"` // "rights/deletion", "other+automated", ...
	Got     string   `json:"got"`
	Reasons []string `json:"reasons"`
}

// EvalReport summarizes a classifier run over a labeled directory.
type EvalReport struct {
	Dir      string `json:"dir"`
	Messages int    `json:"messages"`

	CategoryAccuracy float64                   `json:"category_accuracy"`
	Categories       map[string]ClassMetrics   `json:"categories"`
	Confusion        map[string]map[string]int `json:"confusion"` // true -> predicted -> count

	RightsRecall       float64                   `json:"rights_recall"`
	RightsTypeAccuracy float64                   `json:"rights_type_accuracy"` // among true rights messages
	RightsTypes        map[string]ClassMetrics   `json:"rights_types"`
	RightsConfusion    map[string]map[string]int `json:"rights_confusion"`

	AutomatedPrecision float64 `json:"automated_precision"`
	AutomatedRecall    float64 `json:"automated_recall"`
	LanguageAccuracy   float64 `json:"language_accuracy"`

	Errors []EvalError `json:"errors"`
}

// Eval classifies every message listed in dir/labels.jsonl (parsed with
// mailbox.Parse) and compares with the labels. To evaluate only the
// held-out split of the shipped corpus, pass testdata/corpus/heldout.
func Eval(c *Classifier, dir string) (*EvalReport, error) {
	labels, err := ReadLabels(filepath.Join(dir, LabelsFile))
	if err != nil {
		return nil, err
	}
	r := &EvalReport{Dir: dir, Messages: len(labels), Confusion: map[string]map[string]int{},
		RightsConfusion: map[string]map[string]int{}, Errors: []EvalError{}}
	var catOK, rightsTotal, rightsFound, typeOK, langOK, autoTP, autoFP, autoFN int
	for _, l := range labels {
		m, err := ParseFile(filepath.Join(dir, l.File))
		if err != nil {
			return nil, err
		}
		res := c.ClassifyMessage(m)
		inc(r.Confusion, l.Category, res.Category)
		if res.Category == l.Category {
			catOK++
		}
		if res.Language == l.Language {
			langOK++
		}
		switch {
		case res.Automated && l.Automated:
			autoTP++
		case res.Automated:
			autoFP++
		case l.Automated:
			autoFN++
		}
		want, got := labelName(l.Category, l.RightsType, l.Automated), labelName(res.Category, res.RightsType, res.Automated)
		if l.Category == CategoryRights {
			rightsTotal++
			gotType := "(not rights)"
			if res.Category == CategoryRights {
				rightsFound++
				gotType = *res.RightsType
				if gotType == *l.RightsType {
					typeOK++
				}
			}
			inc(r.RightsConfusion, *l.RightsType, gotType)
		}
		if want != got {
			r.Errors = append(r.Errors, EvalError{File: l.File, Want: want, Got: got, Reasons: res.Reasons})
		}
	}
	r.CategoryAccuracy = ratio(catOK, len(labels))
	r.RightsRecall = ratio(rightsFound, rightsTotal)
	r.RightsTypeAccuracy = ratio(typeOK, rightsTotal)
	r.LanguageAccuracy = ratio(langOK, len(labels))
	r.AutomatedPrecision = ratio(autoTP, autoTP+autoFP)
	r.AutomatedRecall = ratio(autoTP, autoTP+autoFN)
	r.Categories = metrics(r.Confusion)
	r.RightsTypes = metrics(r.RightsConfusion)
	delete(r.RightsTypes, "(not rights)")
	return r, nil
}

func labelName(cat string, rt *string, automated bool) string {
	s := cat
	if rt != nil {
		s += "/" + *rt
	}
	if automated {
		s += "+automated"
	}
	return s
}

func inc(m map[string]map[string]int, a, b string) {
	if m[a] == nil {
		m[a] = map[string]int{}
	}
	m[a][b]++
}

// ratio is a/b, and 1 when there is nothing to measure.
func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// metrics computes per-class precision, recall and F1 from a confusion
// matrix (true -> predicted).
func metrics(conf map[string]map[string]int) map[string]ClassMetrics {
	out := map[string]ClassMetrics{}
	predicted := map[string]int{}
	for _, row := range conf {
		for p, n := range row {
			predicted[p] += n
		}
	}
	classes := map[string]bool{}
	for t := range conf {
		classes[t] = true
	}
	for p := range predicted {
		classes[p] = true
	}
	for cl := range classes {
		support := 0
		for _, n := range conf[cl] {
			support += n
		}
		tp := conf[cl][cl]
		m := ClassMetrics{Support: support, Precision: ratio(tp, predicted[cl]), Recall: ratio(tp, support)}
		if m.Precision+m.Recall > 0 {
			m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
		}
		out[cl] = m
	}
	return out
}

// WriteText writes the report for people: headline figures, per-class
// metrics, confusion matrices and the misclassified files.
func (r *EvalReport) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, a ...any) { fmt.Fprintf(tw, format, a...) }
	p("corpus:\t%s (%d messages)\n", r.Dir, r.Messages)
	p("category accuracy:\t%.1f%%\n", 100*r.CategoryAccuracy)
	p("rights recall:\t%.1f%%\n", 100*r.RightsRecall)
	p("rights_type accuracy:\t%.1f%% (among true rights messages)\n", 100*r.RightsTypeAccuracy)
	p("automated precision:\t%.1f%%\n", 100*r.AutomatedPrecision)
	p("automated recall:\t%.1f%%\n", 100*r.AutomatedRecall)
	p("language accuracy:\t%.1f%%\n", 100*r.LanguageAccuracy)
	p("\n")
	writeMetrics(p, "category", r.Categories)
	p("\n")
	writeConfusion(p, "category", r.Confusion)
	p("\n")
	writeMetrics(p, "rights_type", r.RightsTypes)
	p("\n")
	writeConfusion(p, "rights_type", r.RightsConfusion)
	if len(r.Errors) > 0 {
		p("\nmisclassified:\n")
		for _, e := range r.Errors {
			p("  %s\twant %s\tgot %s\n", e.File, e.Want, e.Got)
		}
	}
	return tw.Flush()
}

func writeMetrics(p func(string, ...any), title string, m map[string]ClassMetrics) {
	p("%s\tprecision\trecall\tf1\tsupport\n", title)
	for _, cl := range sortedKeys(m) {
		x := m[cl]
		p("%s\t%.3f\t%.3f\t%.3f\t%d\n", cl, x.Precision, x.Recall, x.F1, x.Support)
	}
}

func writeConfusion(p func(string, ...any), title string, conf map[string]map[string]int) {
	cols := map[string]bool{}
	for t, row := range conf {
		cols[t] = true
		for c := range row {
			cols[c] = true
		}
	}
	names := sortedKeys(cols)
	p("%s (true \\ predicted)\t%s\n", title, strings.Join(names, "\t"))
	for _, t := range names {
		if conf[t] == nil {
			continue
		}
		cells := make([]string, len(names))
		for i, c := range names {
			cells[i] = fmt.Sprint(conf[t][c])
		}
		p("%s\t%s\n", t, strings.Join(cells, "\t"))
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
