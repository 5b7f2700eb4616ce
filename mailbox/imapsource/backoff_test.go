package imapsource_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"helpdesk/mailbox/imapsource"
)

func TestBackoffDeterministic(t *testing.T) {
	max := func(n int64) int64 { return n - 1 } // always the top of the range
	zero := func(int64) int64 { return 0 }      // always the bottom
	tests := []struct {
		name string
		b    imapsource.Backoff
		want []time.Duration
	}{
		{"grows by 3x to the cap", imapsource.Backoff{Min: time.Second, Max: 10 * time.Second, Int64N: max},
			[]time.Duration{1 * time.Second, 3 * time.Second, 9 * time.Second, 10 * time.Second, 10 * time.Second}},
		{"never below Min", imapsource.Backoff{Min: time.Second, Max: 10 * time.Second, Int64N: zero},
			[]time.Duration{time.Second, time.Second, time.Second}},
		{"zero value uses defaults", imapsource.Backoff{Int64N: max},
			[]time.Duration{time.Second, 3 * time.Second, 9 * time.Second, 27 * time.Second, 81 * time.Second, 243 * time.Second, 5 * time.Minute, 5 * time.Minute}},
		{"Max below Min", imapsource.Backoff{Min: time.Minute, Max: time.Second, Int64N: max},
			[]time.Duration{time.Minute, time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.b
			for i, want := range tt.want {
				if got := b.Next(); got != want {
					t.Errorf("Next() #%d = %v, want %v", i, got, want)
				}
			}
			b.Reset()
			if got, want := b.Next(), tt.want[0]; got != want {
				t.Errorf("Next() after Reset = %v, want %v", got, want)
			}
		})
	}
}

func TestBackoffJitter(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	b := imapsource.Backoff{Min: 100 * time.Millisecond, Max: 30 * time.Second, Int64N: r.Int64N}
	seen := map[time.Duration]bool{}
	atCap := 0
	for i := 0; i < 2000; i++ {
		d := b.Next()
		if d < b.Min || d > b.Max {
			t.Fatalf("Next() #%d = %v, outside [%v, %v]", i, d, b.Min, b.Max)
		}
		seen[d] = true
		if d == b.Max {
			atCap++
		}
	}
	if len(seen) < 1000 {
		t.Errorf("only %d distinct delays in 2000 draws: no real jitter", len(seen))
	}
	if atCap > 100 {
		t.Errorf("%d of 2000 delays sat exactly at the cap: jitter should spread them", atCap)
	}
}

func TestOAuthClientsEncoding(t *testing.T) {
	tests := []struct {
		name      string
		mech      string
		start     func() (string, []byte, error)
		next      func([]byte) ([]byte, error)
		wantIR    string
		wantDummy []byte
	}{
		{
			name:      "xoauth2",
			mech:      "XOAUTH2",
			start:     imapsource.NewXOAuth2Client("someone@example.com", "ya29.token").Start,
			next:      imapsource.NewXOAuth2Client("someone@example.com", "ya29.token").Next,
			wantIR:    "user=someone@example.com\x01auth=Bearer ya29.token\x01\x01",
			wantDummy: []byte{},
		},
		{
			name:      "oauthbearer",
			mech:      "OAUTHBEARER",
			start:     imapsource.NewOAuthBearerClient("someone@example.com", "tok", "imap.example.com", 993).Start,
			next:      imapsource.NewOAuthBearerClient("someone@example.com", "tok", "imap.example.com", 993).Next,
			wantIR:    "n,a=someone@example.com,\x01host=imap.example.com\x01port=993\x01auth=Bearer tok\x01\x01",
			wantDummy: []byte{0x01},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mech, ir, err := tt.start()
			if err != nil || mech != tt.mech || string(ir) != tt.wantIR {
				t.Errorf("Start() = %q, %q, %v; want %q, %q", mech, ir, err, tt.mech, tt.wantIR)
			}
			resp, err := tt.next([]byte(`{"status":"401","schemes":"bearer"}`))
			if err != nil {
				t.Fatalf("Next(error challenge): %v; the client must answer, not abort", err)
			}
			if resp == nil || string(resp) != string(tt.wantDummy) {
				t.Errorf("Next(error challenge) = %q, want %q (non-nil)", resp, tt.wantDummy)
			}
		})
	}
}
