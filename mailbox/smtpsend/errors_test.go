package smtpsend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"os"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	tests := []struct {
		name         string
		stage        string
		err          error
		temporary    bool
		code         int
		enhanced     string
		msgHas       string
		transportErr bool
	}{
		{"4xx at mail", StageMail, &textproto.Error{Code: 451, Msg: "4.3.0 try later"}, true, 451, "4.3.0", "try later", false},
		{"5xx at rcpt", StageRcpt, &textproto.Error{Code: 550, Msg: "5.1.1 no such user"}, false, 550, "5.1.1", "no such user", false},
		{"5xx at data", StageData, &textproto.Error{Code: 554, Msg: "5.7.1 spam"}, false, 554, "5.7.1", "spam", false},
		{"5xx without enhanced code", StageData, &textproto.Error{Code: 552, Msg: "too big"}, false, 552, "", "too big", false},
		{"multi-line reply", StageRcpt, &textproto.Error{Code: 550, Msg: "5.1.1 line one\nline two"}, false, 550, "5.1.1", "line one line two", false},
		{"421 closing", StageMail, &textproto.Error{Code: 421, Msg: "4.4.2 bye"}, true, 421, "4.4.2", "bye", true},
		{"5xx at auth is not the message's fault", StageAuth, fmt.Errorf("SMTP AUTH failed: %w", &textproto.Error{Code: 535, Msg: "5.7.8 bad credentials"}), true, 535, "5.7.8", "bad credentials", false},
		{"5xx greeting", StageConnect, &textproto.Error{Code: 554, Msg: "no service"}, true, 554, "", "no service", false},
		{"eof", StageData, io.EOF, true, 0, "", "closed", true},
		{"unexpected eof", StageMail, io.ErrUnexpectedEOF, true, 0, "", "closed", true},
		{"timeout", StageRcpt, timeout, true, 0, "", "timeout", true},
		{"refused", StageConnect, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, true, 0, "", "refused", true},
		{"canceled", StageData, context.Canceled, true, 0, "", "canceled", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			se := classify(tt.stage, tt.err)
			if se.Temporary != tt.temporary || se.Code != tt.code || se.EnhancedCode != tt.enhanced || se.Stage != tt.stage {
				t.Errorf("classify = %+v", se)
			}
			if !strings.Contains(se.Msg, tt.msgHas) {
				t.Errorf("Msg = %q, want it to contain %q", se.Msg, tt.msgHas)
			}
			if se.isTransport() != tt.transportErr {
				t.Errorf("isTransport = %v", se.isTransport())
			}
			if IsPermanent(se) == tt.temporary {
				t.Errorf("IsPermanent = %v", IsPermanent(se))
			}
			if !errors.Is(se, tt.err) {
				t.Errorf("SendError does not unwrap to %v", tt.err)
			}
		})
	}
}

func TestIsPermanent(t *testing.T) {
	perm := &SendError{Stage: StageRcpt, Code: 550}
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain error", errors.New("x"), false},
		{"permanent", perm, true},
		{"wrapped permanent", fmt.Errorf("sending: %w", perm), true},
		{"temporary", &SendError{Temporary: true}, false},
		{"message error", messageError(errors.New("bad")), true},
	}
	for _, tt := range tests {
		if got := IsPermanent(tt.err); got != tt.want {
			t.Errorf("%s: IsPermanent = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestSendErrorString(t *testing.T) {
	tests := []struct {
		err  *SendError
		want string
	}{
		{&SendError{Stage: StageRcpt, Rcpt: "a@b", Code: 550, EnhancedCode: "5.1.1", Msg: "5.1.1 no such user"},
			"smtp rcpt <a@b> (permanent): 550 5.1.1 no such user"},
		{&SendError{Stage: StageMail, Temporary: true, Code: 451, EnhancedCode: "4.3.0", Msg: "busy"},
			"smtp mail (temporary): 451 4.3.0 busy"},
		{&SendError{Stage: StageConnect, Temporary: true, Err: io.EOF},
			"smtp connect (temporary): EOF"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}
