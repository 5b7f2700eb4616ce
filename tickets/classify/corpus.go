package classify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path"
	"path/filepath"
	"strings"

	"helpdesk/mailbox"
)

// Label is one line of a corpus labels.jsonl file.
type Label struct {
	File       string  `json:"file"` // relative to the labels file's directory
	Category   string  `json:"category"`
	RightsType *string `json:"rights_type"`
	Automated  bool    `json:"automated"`
	Language   string  `json:"language"`
}

// LabelsFile is the name of the labels file in a corpus directory.
const LabelsFile = "labels.jsonl"

// HeldOutDir is the directory, inside the corpus, whose labels.jsonl lists
// only the held-out split (file names are "../x.eml").
const HeldOutDir = "heldout"

// ReadLabels reads a labels.jsonl file.
func ReadLabels(file string) ([]Label, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading labels: %w", err)
	}
	var out []Label
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var l Label
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", filepath.Base(file), line, err)
		}
		rt := ""
		if l.RightsType != nil {
			rt = *l.RightsType
		}
		if _, err := classOf(l.Category, rt); err != nil || l.File == "" {
			return nil, fmt.Errorf("%s line %d: bad label: file %q: %v", filepath.Base(file), line, l.File, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading labels: %w", err)
	}
	return out, nil
}

// HeldOut reports whether a corpus file belongs to the held-out test split:
// FNV-1a of its base name, one in four. The split depends on the name
// only, so adding messages never moves existing ones between splits.
func HeldOut(file string) bool {
	h := fnv.New32a()
	h.Write([]byte(path.Base(filepath.ToSlash(file))))
	return h.Sum32()%4 == 0
}

// ParseFile reads and parses one .eml file.
func ParseFile(file string) (*mailbox.Message, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading message: %w", err)
	}
	return mailbox.Parse(raw, mailbox.ParseOptions{}), nil
}

// CorpusExamples parses the labeled messages of dir that keep accepts and
// returns them as training examples (subject plus new text, as Classify
// sees them).
func CorpusExamples(dir string, keep func(Label) bool) ([]Example, error) {
	labels, err := ReadLabels(filepath.Join(dir, LabelsFile))
	if err != nil {
		return nil, err
	}
	var out []Example
	for _, l := range labels {
		if keep != nil && !keep(l) {
			continue
		}
		m, err := ParseFile(filepath.Join(dir, l.File))
		if err != nil {
			return nil, err
		}
		in := InputFromMessage(m)
		ex := Example{Subject: in.Subject, Text: in.Text, Category: l.Category}
		if l.RightsType != nil {
			ex.RightsType = *l.RightsType
		}
		out = append(out, ex)
	}
	return out, nil
}

// TrainCorpus trains a model on the training split of the corpus in dir
// (every labeled file for which HeldOut is false). This is what
// `go generate` embeds.
func TrainCorpus(dir string) (*Model, error) {
	ex, err := CorpusExamples(dir, func(l Label) bool { return !HeldOut(l.File) })
	if err != nil {
		return nil, err
	}
	return TrainChecked(ex)
}

// HeldOutLabels returns the labels.jsonl content listing the held-out split
// of the corpus in dir, with paths relative to dir/heldout.
func HeldOutLabels(dir string) ([]byte, error) {
	labels, err := ReadLabels(filepath.Join(dir, LabelsFile))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	for _, l := range labels {
		if !HeldOut(l.File) {
			continue
		}
		l.File = "../" + l.File
		j, err := json.Marshal(l)
		if err != nil {
			return nil, fmt.Errorf("encoding label: %w", err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.Bytes(), nil
}
