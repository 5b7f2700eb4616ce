package tickets

import (
	"context"
	"os"
	"testing"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
)

// An agent's correction, once trained, changes what the daemon's
// classifier says about such mail, and lives beside the shipped model.
func TestCorrectionsTrainTheDaemonsModel(t *testing.T) {
	cfg := testConfig(t)
	cfg.DataDir = t.TempDir()
	svc := newTestService(t, openTestStore(t, "sqlite"), cfg)
	raw := testmail.Message(1, 0, testmail.Options{Subject: "zinglewhomp blorptastic",
		Body: "zinglewhomp blorptastic frobulator zinglewhomp"})
	pass(t, svc, newFakeSource(1, raw))
	before := ticketView(t, svc, "XY-1001")
	if before.Category == "product" {
		t.Fatalf("the shipped model already says product; pick other words")
	}
	_, err := svc.SetCategory(context.Background(), "XY-1001", "product", "", "agent")
	must(t, err)
	n, path, err := svc.TrainCorrections(context.Background())
	must(t, err)
	if n != 1 || path != ModelPath(cfg.DataDir) {
		t.Fatalf("trained %d corrections into %s", n, path)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	c, err := OpenClassifier(cfg.DataDir)
	must(t, err)
	got := c.Classify(mailbox.Parse(raw, mailbox.ParseOptions{}))
	if got.Category != "product" {
		t.Errorf("after training: %s (%v), want product", got.Category, got.Reasons)
	}
	// Training again starts from the shipped model: the correction is not
	// counted twice, so the model comes out the same.
	first, err := os.ReadFile(path)
	must(t, err)
	_, _, err = svc.TrainCorrections(context.Background())
	must(t, err)
	second, err := os.ReadFile(path)
	must(t, err)
	if string(first) != string(second) {
		t.Error("training twice changed the model: corrections were counted twice")
	}
}
