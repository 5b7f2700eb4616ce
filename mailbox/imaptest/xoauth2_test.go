package imaptest

import (
	"strings"
	"testing"

	"helpdesk/mailbox/imapsource"
)

// FuzzXOAuth2 checks that what imapsource's XOAUTH2 client sends is what
// the test server's parser reads back.
func FuzzXOAuth2(f *testing.F) {
	f.Add("someone@example.com", "ya29.a0AfH6SM")
	f.Add("u", "t")
	f.Add("", "token")
	f.Add("user\x01x", "tok")
	f.Fuzz(func(t *testing.T, user, token string) {
		_, ir, err := imapsource.NewXOAuth2Client(user, token).Start()
		if err != nil {
			t.Fatal(err)
		}
		gotUser, gotToken, ok := parseXOAuth2(string(ir))
		valid := user != "" && token != "" && !strings.Contains(user+token, "\x01")
		if ok != valid {
			t.Fatalf("parseXOAuth2(%q) ok = %v, want %v", ir, ok, valid)
		}
		if ok && (gotUser != user || gotToken != token) {
			t.Fatalf("round trip: got %q/%q, want %q/%q", gotUser, gotToken, user, token)
		}
	})
}
