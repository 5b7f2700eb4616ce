package imapsource

import "sync"

// offHeapMin is the size from which a fetched message is read into memory
// mapped outside the Go heap. The collector sizes the heap at about twice
// what is live, so a 34 MB message held on the heap costs nearly 70 MB of
// resident memory until the next cycles return it; mapped apart, it costs
// its own size and goes back to the system the moment Release is called.
const offHeapMin = 4 << 20

// offHeap tracks the buffers a Session mapped, so Release can tell them
// from heap slices (which it leaves to the collector).
type offHeap struct {
	mu   sync.Mutex
	bufs map[*byte]int // first byte -> mapped length
}

// alloc returns a buffer of n bytes, mapped when n is large and the
// platform allows it.
func (o *offHeap) alloc(n int64) []byte {
	if n < offHeapMin {
		return make([]byte, n)
	}
	b, err := mapAnon(int(n))
	if err != nil {
		return make([]byte, n)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.bufs == nil {
		o.bufs = map[*byte]int{}
	}
	o.bufs[&b[0]] = len(b)
	return b
}

// release unmaps b if alloc mapped it; other slices are left alone.
func (o *offHeap) release(b []byte) {
	if len(b) == 0 {
		return
	}
	o.mu.Lock()
	n, ok := o.bufs[&b[0]]
	delete(o.bufs, &b[0])
	o.mu.Unlock()
	if ok {
		unmap(b[:n:n])
	}
}

// Release returns the memory of a raw message that Fetch passed to its
// callback, once nothing uses those bytes any more (they are stored, or
// dropped). Large messages live outside the Go heap and stay mapped until
// released; for small ones Release does nothing. After Release, raw must
// not be read: its memory is gone.
func (s *Session) Release(raw []byte) { s.buffers.release(raw) }
