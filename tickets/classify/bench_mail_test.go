package classify

import (
	"testing"

	"helpdesk/internal/testmail"
	"helpdesk/mailbox"
)

// BenchmarkClassifyTypicalMail classifies the generated mail the ingest
// benchmarks use (2-50 KB, five charsets, a third HTML): longer than the
// corpus, so it shows the cost of the 1 KB text the classifier reads.
func BenchmarkClassifyTypicalMail(b *testing.B) {
	c := newTestClassifier(b)
	var ins []Input
	for i := 0; i < 200; i++ {
		ins = append(ins, InputFromMessage(mailbox.Parse(testmail.Message(i, 0, testmail.Options{}), mailbox.ParseOptions{})))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Classify(ins[i%len(ins)])
	}
}
