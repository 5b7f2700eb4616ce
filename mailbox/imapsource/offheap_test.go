package imapsource

import (
	"bytes"
	"testing"
)

func TestOffHeapBuffers(t *testing.T) {
	var o offHeap
	small := o.alloc(100)
	if len(small) != 100 || len(o.bufs) != 0 {
		t.Fatalf("small buffer: len %d, %d tracked; want a heap slice", len(small), len(o.bufs))
	}
	big := o.alloc(offHeapMin + 123)
	if len(big) != offHeapMin+123 {
		t.Fatalf("big buffer len = %d", len(big))
	}
	if len(o.bufs) != 1 {
		t.Skip("no anonymous mappings here: large buffers fall back to the heap")
	}
	copy(big[len(big)-5:], "tail!")
	if !bytes.Equal(big[len(big)-5:], []byte("tail!")) {
		t.Fatal("mapped buffer does not hold what was written")
	}
	o.release(small) // a heap slice: ignored
	o.release(nil)
	if len(o.bufs) != 1 {
		t.Fatalf("releasing heap slices touched the mapped buffer: %d tracked", len(o.bufs))
	}
	o.release(big)
	if len(o.bufs) != 0 {
		t.Fatalf("%d buffers tracked after release", len(o.bufs))
	}
	o.release(big) // twice: no double unmap
}
