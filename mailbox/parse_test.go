package mailbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"helpdesk/internal/testmail"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.json from the current parser output")

// goldenAttachment is Attachment with the content replaced by its hash, so
// golden files stay readable.
type goldenAttachment struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	ContentID   string `json:"content_id,omitempty"`
	Inline      bool   `json:"inline,omitempty"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

type goldenMessage struct {
	MessageID         string              `json:"message_id"`
	InReplyTo         []string            `json:"in_reply_to,omitempty"`
	References        []string            `json:"references,omitempty"`
	From              Address             `json:"from"`
	Sender            *Address            `json:"sender,omitempty"`
	ReplyTo           []Address           `json:"reply_to,omitempty"`
	To                []Address           `json:"to,omitempty"`
	Cc                []Address           `json:"cc,omitempty"`
	Subject           string              `json:"subject"`
	Date              string              `json:"date"`
	Header            map[string][]string `json:"header"`
	Text              string              `json:"text"`
	HTML              string              `json:"html,omitempty"`
	NewText           string              `json:"new_text"`
	Quoted            string              `json:"quoted,omitempty"`
	Signature         string              `json:"signature,omitempty"`
	Attachments       []goldenAttachment  `json:"attachments,omitempty"`
	Automated         bool                `json:"automated"`
	AutomatedReasons  []string            `json:"automated_reasons,omitempty"`
	BouncedMessageIDs []string            `json:"bounced_message_ids,omitempty"`
	ParseErrors       []string            `json:"parse_errors,omitempty"`
	Size              int64               `json:"size"`
	ContentHash       string              `json:"content_hash"`
}

func toGolden(m *Message) goldenMessage {
	g := goldenMessage{
		MessageID: m.MessageID, InReplyTo: m.InReplyTo, References: m.References,
		From: m.From, ReplyTo: m.ReplyTo, To: m.To, Cc: m.Cc, Subject: m.Subject,
		Header: m.Header, Text: m.Text, HTML: m.HTML, NewText: m.NewText, Quoted: m.Quoted,
		Signature: m.Signature, Automated: m.Automated, AutomatedReasons: m.AutomatedReasons,
		BouncedMessageIDs: m.BouncedMessageIDs, ParseErrors: m.ParseErrors, Size: m.Size,
		ContentHash: m.ContentHash,
	}
	if m.Sender != (Address{}) {
		s := m.Sender
		g.Sender = &s
	}
	if !m.Date.IsZero() {
		g.Date = m.Date.Format(time.RFC3339)
	}
	for _, a := range m.Attachments {
		sum := sha256.Sum256(a.Content)
		g.Attachments = append(g.Attachments, goldenAttachment{
			Filename: a.Filename, ContentType: a.ContentType, ContentID: a.ContentID,
			Inline: a.Inline, Size: a.Size, SHA256: hex.EncodeToString(sum[:]),
		})
	}
	return g
}

func marshalGolden(t testing.TB, g goldenMessage) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testdataFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.eml fixtures (err %v)", err)
	}
	return files
}

// testOwn are the service addresses used for the fixtures.
var testOwn = ParseOptions{OwnAddresses: []string{"support@xiyue.example", "service@mail.ximorent.example"}}

func TestParseGolden(t *testing.T) {
	for _, file := range testdataFiles(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".eml")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := marshalGolden(t, toGolden(Parse(raw, testOwn)))
			goldenPath := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(goldenPath)
			if err != nil {
				t.Fatalf("reading golden file (run go test -run TestParseGolden -update): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) differs from %s\n--- got ---\n%s", file, goldenPath, got)
			}
		})
	}
}

// TestParseDoesNotAliasInput checks that Message never points into raw:
// callers reuse fetch buffers.
func TestParseDoesNotAliasInput(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "alternative-attachments.eml"))
	if err != nil {
		t.Fatal(err)
	}
	m := Parse(raw, ParseOptions{})
	var before [][]byte
	for _, a := range m.Attachments {
		before = append(before, bytes.Clone(a.Content))
	}
	for i := range raw {
		raw[i] = 'x'
	}
	for i, a := range m.Attachments {
		if !bytes.Equal(a.Content, before[i]) {
			t.Errorf("attachment %d (%s) changed after the raw buffer was overwritten", i, a.Filename)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	var msgs [][]byte
	var total int64
	for _, f := range testdataFiles(b) {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		msgs = append(msgs, raw)
		total += int64(len(raw))
	}
	b.SetBytes(total / int64(len(msgs)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Parse(msgs[i%len(msgs)], testOwn)
	}
}

// BenchmarkParseTypical parses the benchmark corpus of typical customer
// mail (2-50 KB, mixed charsets and transfer encodings) that ingest's
// benchmarks use.
func BenchmarkParseTypical(b *testing.B) {
	msgs := make([][]byte, 200)
	var total int64
	for i := range msgs {
		msgs[i] = testmail.Message(i, 0, testmail.Options{})
		total += int64(len(msgs[i]))
	}
	b.SetBytes(total / int64(len(msgs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		Parse(msgs[i%len(msgs)], testOwn)
	}
}
