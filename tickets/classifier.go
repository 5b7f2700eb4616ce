package tickets

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"helpdesk/mailbox"
	"helpdesk/tickets/classify"
)

// Classification is what a Classifier says about one message, with the
// values DESIGN.md lists.
type Classification struct {
	Category   string // product | logistics | rights | other
	RightsType string // access | correction | deletion | consent_withdrawal | complaint, or ""
	Automated  bool
	Language   string
	Confidence float64
	Reasons    []string
}

// Classifier sorts a parsed message. Implementations must be safe for
// concurrent use: ingest calls it from several parse workers.
type Classifier interface {
	Classify(m *mailbox.Message) Classification
}

// TrainedClassifier adapts the naive Bayes classifier of package classify.
type TrainedClassifier struct{ C *classify.Classifier }

// Classify classifies the message's subject and new text.
func (t TrainedClassifier) Classify(m *mailbox.Message) Classification {
	r := t.C.ClassifyMessage(m)
	c := Classification{Category: r.Category, Automated: r.Automated || m.Automated, Language: r.Language,
		Confidence: r.Confidence, Reasons: r.Reasons}
	if r.RightsType != nil {
		c.RightsType = *r.RightsType
	}
	return c
}

// ModelPath is where `classify train` writes the model with the agents'
// corrections, beside (not inside) the shipped one.
func ModelPath(dataDir string) string { return filepath.Join(dataDir, classify.ModelFile) }

// OpenClassifier loads the trained model from data_dir when there is one,
// else the model embedded in the binary.
func OpenClassifier(dataDir string) (TrainedClassifier, error) {
	c, err := classify.Open(ModelPath(dataDir))
	if err != nil {
		return TrainedClassifier{}, err
	}
	return TrainedClassifier{C: c}, nil
}

// TrainCorrections folds every stored agent correction into the shipped
// model and writes the result to data_dir. It always starts from the
// shipped model, so training twice does not count a correction twice.
func (s *Service) TrainCorrections(ctx context.Context) (n int, path string, err error) {
	cs, err := s.Corrections(ctx)
	if err != nil {
		return 0, "", fmt.Errorf("loading corrections: %w", err)
	}
	base, err := classify.New()
	if err != nil {
		return 0, "", err
	}
	ex := make([]classify.Example, 0, len(cs))
	for _, c := range cs {
		text := c.NewText
		if text == "" {
			text = c.Text
		}
		ex = append(ex, classify.Example{Subject: c.Subject, Text: text, Category: c.Category, RightsType: c.RightsType})
	}
	trained, err := base.WithCorrections(ex)
	if err != nil {
		return 0, "", err
	}
	path = ModelPath(s.cfg.DataDir)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, "", fmt.Errorf("creating model directory: %w", err)
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, "", fmt.Errorf("writing model: %w", err)
	}
	if err := trained.Model().Save(f); err != nil {
		f.Close()
		return 0, "", fmt.Errorf("writing model: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return 0, "", err
	}
	if err := f.Close(); err != nil {
		return 0, "", err
	}
	// Rename is atomic: a daemon starting now reads the old model or the
	// new one, never half of one.
	if err := os.Rename(tmp, path); err != nil {
		return 0, "", fmt.Errorf("installing model: %w", err)
	}
	return len(ex), path, nil
}
