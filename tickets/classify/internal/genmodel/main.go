// Command genmodel trains the embedded classifier model from the training
// split of the labeled corpus and writes the held-out split's labels file.
// It runs from `go generate` in tickets/classify:
//
//	go run ./internal/genmodel -corpus testdata/corpus -out model.json
//
// Output is deterministic: the same corpus gives the same bytes.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"helpdesk/tickets/classify"
)

func main() {
	corpus := flag.String("corpus", "testdata/corpus", "labeled corpus directory")
	out := flag.String("out", "model.json", "model file to write")
	flag.Parse()
	if err := run(*corpus, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
}

func run(corpus, out string) error {
	m, err := classify.TrainCorpus(corpus)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		return err
	}
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing model: %w", err)
	}
	held, err := classify.HeldOutLabels(corpus)
	if err != nil {
		return err
	}
	dir := filepath.Join(corpus, classify.HeldOutDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating held-out dir: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, classify.LabelsFile), held, 0o644); err != nil {
		return fmt.Errorf("writing held-out labels: %w", err)
	}
	return nil
}
