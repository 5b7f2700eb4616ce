package testmail

import (
	"bytes"
	"testing"
)

// The benchmarks promise "typical messages of 2-50 KB": hold the
// generator to it.
func TestMessageSizesStayTypical(t *testing.T) {
	total := 0
	for i := 0; i < 500; i++ {
		n := len(Message(i, 0, Options{}))
		if n < 1500 || n > 52*1024 {
			t.Fatalf("message %d is %d bytes, outside 2-50 KB", i, n)
		}
		total += n
	}
	if avg := total / 500; avg < 15*1024 || avg > 35*1024 {
		t.Errorf("average size %d bytes; want a spread around 25 KB", avg)
	}
}

func TestMessageIsDeterministic(t *testing.T) {
	if !bytes.Equal(Message(7, 0, Options{}), Message(7, 0, Options{})) {
		t.Error("same index, different bytes")
	}
	if bytes.Equal(Message(7, 0, Options{}), Message(8, 0, Options{})) {
		t.Error("different indexes, same bytes")
	}
}
