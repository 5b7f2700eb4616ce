package classify

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"helpdesk/mailbox"
)

//go:generate go run ./internal/genmodel -corpus testdata/corpus -out model.json

//go:embed model.json
var embeddedModel []byte

// Decision parameters.
const (
	// temperature divides the naive Bayes log scores before the softmax.
	// Naive Bayes counts correlated features (a word, its bigrams, its
	// stem) as independent evidence, which makes raw posteriors close to
	// 0 or 1; dividing by the typical redundancy gives usable confidences.
	temperature = 2.0
	// ruleBoost is added to a class's tempered log score per firing rule
	// (a factor of e^6, about 400, in odds).
	ruleBoost = 6.0
	// decisiveBoost is added to the rights type a phrase rule names.
	decisiveBoost = 30.0
	// RightsThreshold: when the summed rights posterior reaches it, the
	// message is classified as rights even if another category scores
	// higher. Missing a privacy request costs more than a misfiled question.
	RightsThreshold = 0.25
	// topFeatures is how many features a reason lists.
	numTopFeatures = 5
)

// ModelFile is where `helpdesk classify train` writes the corrections
// model, relative to data_dir.
const ModelFile = "classifier/model.json"

// Input is what the classifier looks at: the subject and the customer's own
// new text (quoted history and signature already removed by the parser).
type Input struct {
	Subject          string
	Text             string
	Automated        bool     // from mailbox header analysis
	AutomatedReasons []string // from mailbox header analysis
	LanguageHint     string   // used when the text is too short to tell
}

// InputFromMessage builds an Input from a parsed message: Message.NewText,
// falling back to Text when the parser found no new text.
func InputFromMessage(m *mailbox.Message) Input {
	text := m.NewText
	if strings.TrimSpace(text) == "" {
		text = m.Text
	}
	in := Input{
		Subject:          m.Subject,
		Text:             text,
		Automated:        m.Automated,
		AutomatedReasons: slices.Clone(m.AutomatedReasons),
	}
	// The upstream spam filter's verdict: spam is automated mail too.
	if spamFlagged(m.Header) {
		in.Automated = true
		in.AutomatedReasons = append(in.AutomatedReasons, "spam-flag")
	}
	return in
}

// spamFlagged reports a SpamAssassin-style verdict (X-Spam-Flag: YES or
// X-Spam-Status: Yes, ...) or an Exchange spam confidence level of 5+.
func spamFlagged(h map[string][]string) bool {
	for _, v := range h["X-Spam-Flag"] {
		if strings.EqualFold(strings.TrimSpace(v), "yes") {
			return true
		}
	}
	for _, v := range h["X-Spam-Status"] {
		if len(strings.TrimSpace(v)) >= 3 && strings.EqualFold(strings.TrimSpace(v)[:3], "yes") {
			return true
		}
	}
	for _, v := range h["X-Ms-Exchange-Organization-Scl"] {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 5 {
			return true
		}
	}
	return false
}

// Result is the classification of one message, in the JSON shape of the
// `helpdesk classify` contract. RightsType is nil (JSON null) unless
// Category is "rights".
type Result struct {
	Category   string   `json:"category"`
	RightsType *string  `json:"rights_type"`
	Automated  bool     `json:"automated"`
	Language   string   `json:"language"`
	Confidence float64  `json:"confidence"`
	Reasons    []string `json:"reasons"`
}

// Classifier classifies messages. It is immutable after construction and
// safe for concurrent use.
type Classifier struct {
	model *Model
	vocab *vocab
	cat   *scorer // product, logistics, other, rights (pooled)
	typ   *scorer // the rights types, trained on rights messages only
	lx    *lexicon
}

// New returns a classifier using the model embedded in the binary.
func New() (*Classifier, error) {
	m, err := EmbeddedModel()
	if err != nil {
		return nil, err
	}
	return NewWithModel(m)
}

// EmbeddedModel decodes the model shipped in the binary.
func EmbeddedModel() (*Model, error) {
	m, err := LoadModel(bytes.NewReader(embeddedModel))
	if err != nil {
		return nil, fmt.Errorf("embedded model: %w", err)
	}
	return m, nil
}

// Open returns a classifier using the model file at path (normally
// data_dir/classifier/model.json, written by `helpdesk classify train`)
// when it exists, and the embedded model otherwise (also when path is "").
func Open(path string) (*Classifier, error) {
	if path == "" {
		return New()
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return New()
	}
	if err != nil {
		return nil, fmt.Errorf("opening model: %w", err)
	}
	defer f.Close()
	m, err := LoadModel(f)
	if err != nil {
		return nil, fmt.Errorf("loading model %s: %w", filepath.Base(path), err)
	}
	return NewWithModel(m)
}

// NewWithModel returns a classifier using m. m must not be modified
// afterwards.
func NewWithModel(m *Model) (*Classifier, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	v := newVocab(m)
	cats := []string{CategoryProduct, CategoryLogistics, CategoryOther, CategoryRights}
	cat := compile(m, v, cats, func(cl string) int {
		if strings.HasPrefix(cl, "rights/") {
			return 3
		}
		return slices.Index(cats, cl)
	})
	types := []string{RightsAccess, RightsCorrection, RightsDeletion, RightsConsentWithdrawal, RightsComplaint}
	typ := compile(m, v, types, func(cl string) int {
		t, ok := strings.CutPrefix(cl, "rights/")
		if !ok {
			return -1
		}
		return slices.Index(types, t)
	})
	return &Classifier{model: m, vocab: v, cat: cat, typ: typ, lx: newLexicon()}, nil
}

// Model returns the classifier's model. Callers must not modify it.
func (c *Classifier) Model() *Model { return c.model }

// WithCorrections returns a new classifier whose model is c's model plus
// the agents' corrected examples (each weighted CorrectionWeight). c is
// unchanged. Save the new model with c2.Model().Save to keep it.
func (c *Classifier) WithCorrections(examples []Example) (*Classifier, error) {
	m, err := c.model.WithExamples(examples)
	if err != nil {
		return nil, fmt.Errorf("adding corrections: %w", err)
	}
	return NewWithModel(m)
}

// ClassifyMessage classifies a parsed message.
func (c *Classifier) ClassifyMessage(m *mailbox.Message) Result {
	return c.Classify(InputFromMessage(m))
}

// MaxTextBytes bounds the text a message is classified on. A customer
// states the request at the top; the rest of a very long mail (pasted
// logs, forwarded threads) adds cost but not evidence, and classification
// time must not grow with the size of the mail.
const MaxTextBytes = 1024

// truncateUTF8 cuts s to at most n bytes at a rune boundary.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Classify classifies one message.
func (c *Classifier) Classify(in Input) Result {
	in.Text = truncateUTF8(in.Text, MaxTextBytes)
	lang, trad := detectLanguage(in.Subject + "\n" + in.Text)
	if lang == LangUnknown && in.LanguageHint != "" {
		lang = in.LanguageHint
	}
	res := Result{Language: lang, Reasons: []string{}}
	if trad {
		res.Reasons = append(res.Reasons, "language: zh (Traditional script)")
	} else {
		res.Reasons = append(res.Reasons, "language: "+lang)
	}

	// Automated mail is "other" whatever it says: it was not written to us
	// by a person, and it must never get an automatic answer.
	if in.Automated {
		why := "headers"
		if len(in.AutomatedReasons) > 0 {
			why = strings.Join(in.AutomatedReasons, ", ")
		}
		return c.automated(res, "automated: "+why)
	}
	subject := normalize(in.Subject)
	if p := c.lx.automatedSubject(subject); p != "" {
		return c.automated(res, fmt.Sprintf("automated: subject starts with %q", p))
	}

	subj, body, stripped := c.lx.prepareNormalized(subject, normalize(in.Text))
	if stripped {
		res.Reasons = append(res.Reasons, "legal disclaimer ignored")
	}
	// The model's features of the message, as vocab ids in sorted feature
	// order (features the model does not know add nothing to any score).
	feats := c.vocab.ids(subj, body)
	fired := c.lx.matchRules(subj + "\n" + body)

	// Stage 1: the category, rights pooled into one class.
	catScores := c.cat.score(feats)
	if len(feats) == 0 && len(fired) == 0 {
		res.Category = CategoryOther
		res.Confidence = 0.5
		res.Reasons = append(res.Reasons, "no known words: nothing to go on")
		return res
	}
	temper(catScores)
	// Each firing rule boosts its category once. Of the rights types the
	// rules name, only the most specific one is boosted: a complaint about
	// an unanswered deletion request is a complaint, and "unsubscribe me
	// and close my account" is a deletion.
	typeBoost := make([]float64, len(c.typ.classes))
	boosted := map[string]bool{}
	ruleType := ""
	for _, r := range fired {
		res.Reasons = append(res.Reasons, fmt.Sprintf("rule %s -> %s", r.id, r.class))
		cat, t, _ := strings.Cut(r.class, "/")
		if !boosted[cat] {
			boosted[cat] = true
			if k := slices.Index(c.cat.classes, cat); k >= 0 {
				catScores[k] += r.boost()
			}
		}
		if t != "" && (ruleType == "" || rightsPriority(t) > rightsPriority(ruleType)) {
			ruleType = t
		}
	}
	if k := slices.Index(c.typ.classes, ruleType); k >= 0 {
		// A phrase rule names the request outright; the type model only
		// decides when no rule did.
		typeBoost[k] = decisiveBoost
	}
	catPost := softmax(catScores)
	best := argmax(catPost)
	cat := c.cat.classes[best]
	rightsP := catPost[slices.Index(c.cat.classes, CategoryRights)]
	if cat != CategoryRights && rightsP >= RightsThreshold {
		res.Reasons = append(res.Reasons, fmt.Sprintf("rights-preferred: uncertain between rights and %s (p=%.2f)", cat, rightsP))
		cat = CategoryRights
	}
	res.Category = cat
	chosen := slices.Index(c.cat.classes, cat)
	res.Confidence = round3(catPost[chosen])
	runner := argmaxExcept(catPost, chosen)
	res.Reasons = append(res.Reasons, fmt.Sprintf("naive bayes: %s p=%.2f, %s p=%.2f; top features: %s",
		cat, catPost[chosen], c.cat.classes[runner], catPost[runner],
		strings.Join(c.topFeatures(c.cat, feats, chosen, runner), ", ")))
	if cat != CategoryRights {
		return res
	}

	// Stage 2: the rights type, among rights messages only.
	typScores := c.typ.score(feats)
	temper(typScores)
	for i, b := range typeBoost {
		typScores[i] += b
	}
	typPost := softmax(typScores)
	t := argmax(typPost)
	rt := c.typ.classes[t]
	res.RightsType = &rt
	res.Confidence = round3(catPost[chosen] * typPost[t])
	other := argmaxExcept(typPost, t)
	res.Reasons = append(res.Reasons, fmt.Sprintf("rights type: %s p=%.2f, %s p=%.2f; top features: %s",
		rt, typPost[t], c.typ.classes[other], typPost[other], strings.Join(c.topFeatures(c.typ, feats, t, other), ", ")))
	return res
}

// rightsPriority orders rights types for rule conflicts: the higher wins.
func rightsPriority(t string) int {
	switch t {
	case RightsComplaint:
		return 5
	case RightsDeletion:
		return 4
	case RightsCorrection:
		return 3
	case RightsAccess:
		return 2
	case RightsConsentWithdrawal:
		return 1
	}
	return 0
}

func (c *Classifier) automated(res Result, why string) Result {
	res.Category = CategoryOther
	res.Automated = true
	res.Confidence = 1
	res.Reasons = append(res.Reasons, why)
	return res
}

// temper divides log scores by the temperature.
func temper(s []float64) {
	for i := range s {
		s[i] /= temperature
	}
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func argmax(p []float64) int {
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return best
}

func argmaxExcept(p []float64, skip int) int {
	best := -1
	for i := range p {
		if i != skip && (best < 0 || p[i] > p[best]) {
			best = i
		}
	}
	return best
}

// topFeatures lists the features with the largest log-likelihood
// difference in favour of class a over class b (ties in feature order).
// feats are vocab ids in ascending order.
func (c *Classifier) topFeatures(s *scorer, feats []int32, a, b int) []string {
	type fw struct {
		id int32
		w  float32
	}
	// Keep only the best numTopFeatures, in order, instead of sorting all
	// of them: the order is total, so the result is the same.
	var top [numTopFeatures]fw
	n := 0
	for _, id := range feats {
		w := s.weight(id, a, b)
		if w <= 0 {
			continue
		}
		// ids ascend, so a feature goes after those of equal weight.
		i := n
		for i > 0 && w > top[i-1].w {
			i--
		}
		if i == numTopFeatures {
			continue
		}
		if n < numTopFeatures {
			n++
		}
		copy(top[i+1:n], top[i:n-1])
		top[i] = fw{id, w}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Quote(c.vocab.names[top[i].id])
	}
	return out
}

func softmax(s []float64) []float64 {
	mx := math.Inf(-1)
	for _, v := range s {
		mx = math.Max(mx, v)
	}
	out := make([]float64, len(s))
	sum := 0.0
	for i, v := range s {
		out[i] = math.Exp(v - mx)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
