package imapsource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/emersion/go-imap/v2"
)

func TestErrorClassification(t *testing.T) {
	no := func(code imap.ResponseCode) error {
		return &imap.Error{Type: imap.StatusResponseTypeNo, Code: code, Text: "x"}
	}
	tests := []struct {
		name     string
		err      error
		wantTemp bool
	}{
		{"eof", io.EOF, true},
		{"wrapped unexpected eof", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), true},
		{"closed", net.ErrClosed, true},
		{"op error", &net.OpError{Op: "read", Err: errors.New("connection reset")}, true},
		{"unavailable", no(imap.ResponseCodeUnavailable), true},
		{"serverbug", no(imap.ResponseCodeServerBug), true},
		{"bye", &imap.Error{Type: imap.StatusResponseTypeBye, Text: "shutting down"}, true},
		{"nonexistent", no(imap.ResponseCodeNonExistent), false},
		{"plain NO", no(""), false},
		{"auth", fmt.Errorf("%w: bad", ErrAuth), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := wrap(context.Background(), "fetch", tt.err)
			if got := IsTemporary(err); got != tt.wantTemp {
				t.Errorf("IsTemporary(wrap(%v)) = %v, want %v", tt.err, got, tt.wantTemp)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("wrap lost the cause %v", tt.err)
			}
		})
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := wrap(ctx, "fetch", io.EOF)
	if IsTemporary(err) || !errors.Is(err, context.Canceled) {
		t.Errorf("wrap after cancel = %v: want context.Canceled, not temporary", err)
	}

	refused := authError(context.Background(), "login", no(imap.ResponseCodeAuthenticationFailed))
	if !errors.Is(refused, ErrAuth) || IsTemporary(refused) {
		t.Errorf("authError(AUTHENTICATIONFAILED) = %v, want permanent ErrAuth", refused)
	}
	down := authError(context.Background(), "login", no(imap.ResponseCodeUnavailable))
	if errors.Is(down, ErrAuth) || !IsTemporary(down) {
		t.Errorf("authError(UNAVAILABLE) = %v, want temporary, not ErrAuth", down)
	}
}
