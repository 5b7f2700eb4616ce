package classify

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
)

// Categories and rights types of the classify JSON contract.
const (
	CategoryProduct   = "product"
	CategoryLogistics = "logistics"
	CategoryRights    = "rights"
	CategoryOther     = "other"

	RightsAccess            = "access"
	RightsCorrection        = "correction"
	RightsDeletion          = "deletion"
	RightsConsentWithdrawal = "consent_withdrawal"
	RightsComplaint         = "complaint"
)

// modelVersion changes whenever features or the file format change, so an
// old corrections model is rejected rather than silently misread.
const modelVersion = 1

// Smoothing and pruning of the naive Bayes model.
const (
	defaultAlpha = 0.1 // Lidstone smoothing
	minCount     = 2   // features seen fewer times in the corpus are dropped
	// CorrectionWeight is how many corpus messages one agent correction
	// counts as: corrections are few, deliberate and usually about the
	// very wording the model got wrong.
	CorrectionWeight = 4
)

// Example is one labeled message for training.
type Example struct {
	Subject    string
	Text       string
	Category   string // product, logistics, rights, other
	RightsType string // one of the rights types when Category is rights, else ""
}

// Model is a multinomial naive Bayes model over binary (per message)
// features. It keeps raw counts, not probabilities, so corrections can be
// added later without the original corpus.
type Model struct {
	Version     int              `json:"version"`
	Alpha       float64          `json:"alpha"`
	Classes     []string         `json:"classes"`     // "product", ..., "rights/deletion"
	Docs        []int            `json:"docs"`        // messages per class
	Totals      []int            `json:"totals"`      // feature occurrences per class
	Corrections int              `json:"corrections"` // agent corrections folded in
	Features    map[string][]int `json:"features"`    // feature -> count per class
}

// modelClasses is the fixed class order of new models: the top-level
// categories, with rights split by type.
func modelClasses() []string {
	return []string{CategoryProduct, CategoryLogistics, CategoryOther,
		"rights/" + RightsAccess, "rights/" + RightsCorrection, "rights/" + RightsDeletion,
		"rights/" + RightsConsentWithdrawal, "rights/" + RightsComplaint}
}

// classOf maps an example label to a model class.
func classOf(category, rightsType string) (string, error) {
	switch category {
	case CategoryProduct, CategoryLogistics, CategoryOther:
		if rightsType != "" {
			return "", fmt.Errorf("rights_type %q given for category %q", rightsType, category)
		}
		return category, nil
	case CategoryRights:
		switch rightsType {
		case RightsAccess, RightsCorrection, RightsDeletion, RightsConsentWithdrawal, RightsComplaint:
			return "rights/" + rightsType, nil
		}
		return "", fmt.Errorf("unknown rights_type %q", rightsType)
	}
	return "", fmt.Errorf("unknown category %q", category)
}

// prepare turns a subject and text into what the model reads: normalized,
// reply prefixes and ticket references removed from the subject, legal
// disclaimers and courtesy lines removed from the text. Training and
// classification share it, so both see the same thing.
func (lx *lexicon) prepare(subject, text string) (subj, body string, disclaimer bool) {
	return lx.prepareNormalized(normalize(subject), normalize(text))
}

// prepareNormalized is prepare for an already normalized subject and text.
func (lx *lexicon) prepareNormalized(subject, text string) (subj, body string, disclaimer bool) {
	subj = lx.cleanSubject(subject)
	body, disclaimer = lx.stripDisclaimers(text)
	return subj, lx.trimCourtesy(body), disclaimer
}

// features returns the sorted, de-duplicated features of a prepared message.
func features(subj, body string) []string {
	toks := appendTokens(nil, subj)
	toks = appendTokens(toks, body)
	slices.Sort(toks)
	return slices.Compact(toks)
}

// Train builds a model from labeled examples. Examples with an invalid
// label are skipped; use TrainChecked to see the errors. Training is
// deterministic: the same examples give the same model bytes.
func Train(examples []Example) *Model {
	m, _ := TrainChecked(examples)
	return m
}

// TrainChecked is Train that also reports the examples it skipped.
func TrainChecked(examples []Example) (*Model, error) {
	m := &Model{Version: modelVersion, Alpha: defaultAlpha, Classes: modelClasses(), Features: map[string][]int{}}
	m.Docs = make([]int, len(m.Classes))
	m.Totals = make([]int, len(m.Classes))
	errs := m.add(newLexicon(), examples, 1)
	// Prune rare features: they are mostly names, typos and order details,
	// and they would triple the size of the embedded model.
	for f, counts := range m.Features {
		n := 0
		for _, c := range counts {
			n += c
		}
		if n < minCount {
			delete(m.Features, f)
		}
	}
	m.recountTotals()
	return m, errors.Join(errs...)
}

func (m *Model) add(lx *lexicon, examples []Example, weight int) []error {
	idx := map[string]int{}
	for i, c := range m.Classes {
		idx[c] = i
	}
	var errs []error
	for i, ex := range examples {
		cl, err := classOf(ex.Category, ex.RightsType)
		if err != nil {
			errs = append(errs, fmt.Errorf("example %d: %w", i, err))
			continue
		}
		k, ok := idx[cl]
		if !ok {
			errs = append(errs, fmt.Errorf("example %d: class %q not in model", i, cl))
			continue
		}
		m.Docs[k] += weight
		subj, body, _ := lx.prepare(ex.Subject, ex.Text)
		for _, f := range features(subj, body) {
			counts := m.Features[f]
			if counts == nil {
				counts = make([]int, len(m.Classes))
				m.Features[f] = counts
			}
			counts[k] += weight
		}
	}
	return errs
}

func (m *Model) recountTotals() {
	for i := range m.Totals {
		m.Totals[i] = 0
	}
	for _, counts := range m.Features {
		for i, c := range counts {
			m.Totals[i] += c
		}
	}
}

// clone returns a deep copy.
func (m *Model) clone() *Model {
	c := *m
	c.Classes = slices.Clone(m.Classes)
	c.Docs = slices.Clone(m.Docs)
	c.Totals = slices.Clone(m.Totals)
	c.Features = make(map[string][]int, len(m.Features))
	for f, v := range m.Features {
		c.Features[f] = slices.Clone(v)
	}
	return &c
}

// WithExamples returns a copy of m with the examples added, each counting
// CorrectionWeight times. m itself is not modified. Rare features of the
// examples are kept: a correction is often about exactly one phrase.
func (m *Model) WithExamples(examples []Example) (*Model, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	c := m.clone()
	if errs := c.add(newLexicon(), examples, CorrectionWeight); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c.Corrections += len(examples)
	c.recountTotals()
	return c, nil
}

// Save writes the model as JSON, one feature per line, keys sorted, so the
// same model always gives the same bytes and diffs stay readable.
func (m *Model) Save(w io.Writer) error {
	bw := bufio.NewWriter(w)
	head := struct {
		Version     int      `json:"version"`
		Alpha       float64  `json:"alpha"`
		Classes     []string `json:"classes"`
		Docs        []int    `json:"docs"`
		Totals      []int    `json:"totals"`
		Corrections int      `json:"corrections"`
	}{m.Version, m.Alpha, m.Classes, m.Docs, m.Totals, m.Corrections}
	hb, err := json.Marshal(head)
	if err != nil {
		return fmt.Errorf("encoding model header: %w", err)
	}
	bw.Write(hb[:len(hb)-1])
	bw.WriteString(",\n\"features\":{")
	keys := make([]string, 0, len(m.Features))
	for f := range m.Features {
		keys = append(keys, f)
	}
	sort.Strings(keys)
	for i, f := range keys {
		kb, _ := json.Marshal(f)
		vb, _ := json.Marshal(m.Features[f])
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
		bw.Write(kb)
		bw.WriteByte(':')
		bw.Write(vb)
	}
	bw.WriteString("\n}}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing model: %w", err)
	}
	return nil
}

// LoadModel reads a model written by Save.
func LoadModel(r io.Reader) (*Model, error) {
	var m Model
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decoding model: %w", err)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// ErrModelVersion is returned for a model written by an incompatible version.
var ErrModelVersion = errors.New("classify: incompatible model version")

func (m *Model) validate() error {
	if m.Version != modelVersion {
		return fmt.Errorf("%w: got %d, want %d", ErrModelVersion, m.Version, modelVersion)
	}
	k := len(m.Classes)
	if k == 0 || len(m.Docs) != k || len(m.Totals) != k {
		return fmt.Errorf("classify: malformed model: %d classes, %d doc counts, %d totals", k, len(m.Docs), len(m.Totals))
	}
	if !(m.Alpha > 0) || math.IsInf(m.Alpha, 0) {
		return fmt.Errorf("classify: malformed model: alpha %v", m.Alpha)
	}
	for _, c := range m.Classes {
		if c != CategoryProduct && c != CategoryLogistics && c != CategoryOther && !strings.HasPrefix(c, "rights/") {
			return fmt.Errorf("classify: malformed model: unknown class %q", c)
		}
	}
	for f, v := range m.Features {
		if len(v) != k {
			return fmt.Errorf("classify: malformed model: feature %q has %d counts for %d classes", f, len(v), k)
		}
	}
	return nil
}

// vocab numbers the features of a model in sorted order, so that ids in
// ascending order are feature strings in sorted order.
type vocab struct {
	index map[string]int32
	names []string // sorted
}

func newVocab(m *Model) *vocab {
	v := &vocab{index: make(map[string]int32, len(m.Features)), names: make([]string, 0, len(m.Features))}
	for f := range m.Features {
		v.names = append(v.names, f)
	}
	sort.Strings(v.names)
	for n, f := range v.names {
		v.index[f] = int32(n)
	}
	return v
}

// ids returns the ids of the known features among the tokens of prepared
// texts, de-duplicated and in ascending order: exactly the order of the
// sorted feature strings, which keeps every score sum identical to
// summing over features(texts...) with the unknown ones skipped.
func (v *vocab) ids(texts ...string) []int32 {
	// A bit per feature id de-duplicates, and reading the bits back in
	// order sorts, without sorting strings.
	seen := make([]uint64, (len(v.names)+63)/64)
	var t tokenizer
	for _, s := range texts {
		t.walk(s, func(tok []byte) {
			// The string(tok) conversion in a map index does not allocate.
			if n, ok := v.index[string(tok)]; ok {
				seen[n/64] |= 1 << (n % 64)
			}
		})
	}
	var out []int32
	for i, word := range seen {
		for word != 0 {
			out = append(out, int32(i*64+bits.TrailingZeros64(word)))
			word &= word - 1
		}
	}
	return out
}

// scorer is the compiled, read-only form of a model over a set of output
// classes, each the union of one or more model classes.
type scorer struct {
	classes  []string
	logPrior []float64
	table    []float32 // len(vocab.names) * len(classes) log likelihoods, rows in vocab id order
}

// compile builds a scorer whose class i pools the model classes for which
// group returns i (and skips those for which it returns -1). Pooling sums
// the counts, so a pooled class is exactly what training on the merged
// label would give. v must be m's vocab.
func compile(m *Model, v *vocab, names []string, group func(modelClass string) int) *scorer {
	k := len(names)
	s := &scorer{classes: names, logPrior: make([]float64, k)}
	gi := make([]int, len(m.Classes))
	docs := make([]float64, k)
	totals := make([]float64, k)
	for i, c := range m.Classes {
		gi[i] = group(c)
		if gi[i] >= 0 {
			docs[gi[i]] += float64(m.Docs[i])
			totals[gi[i]] += float64(m.Totals[i])
		}
	}
	sumDocs := 0.0
	for _, d := range docs {
		sumDocs += d
	}
	for i, d := range docs {
		s.logPrior[i] = math.Log((d + 1) / (sumDocs + float64(k)))
	}
	nf := float64(len(m.Features))
	denom := make([]float64, k)
	for i := range denom {
		denom[i] = math.Log(totals[i] + m.Alpha*nf)
	}
	s.table = make([]float32, len(v.names)*k)
	counts := make([]float64, k)
	for n, f := range v.names {
		clear(counts)
		for i, c := range m.Features[f] {
			if gi[i] >= 0 {
				counts[gi[i]] += float64(c)
			}
		}
		for i, c := range counts {
			s.table[n*k+i] = float32(math.Log(c+m.Alpha) - denom[i])
		}
	}
	return s
}

// score returns per-class log scores of the features with the given vocab
// ids. The sum runs in id order, that is in sorted feature order.
func (s *scorer) score(ids []int32) []float64 {
	k := len(s.classes)
	out := slices.Clone(s.logPrior)
	for _, n := range ids {
		row := s.table[int(n)*k : int(n)*k+k]
		for i, v := range row {
			out[i] += float64(v)
		}
	}
	return out
}

// weight returns how much the feature with vocab id n favours class a over
// class b.
func (s *scorer) weight(n int32, a, b int) float32 {
	k := len(s.classes)
	return s.table[int(n)*k+a] - s.table[int(n)*k+b]
}
