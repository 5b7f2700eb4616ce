package mailbox

import "time"

// Address is one mailbox from an address header, already decoded.
type Address struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email"` // lower-cased domain, local part as written
}

// Attachment is one non-body MIME part, decoded.
type Attachment struct {
	Filename    string // RFC 2231 / RFC 2047 decoded; may be empty
	ContentType string // e.g. "application/pdf"
	ContentID   string // without angle brackets
	Inline      bool   // Content-Disposition: inline
	Size        int64  // decoded size in bytes
	Content     []byte // decoded content; nil when ContentOmitted
	// ContentOmitted says the part was larger than
	// ParseOptions.MaxAttachmentContent: its content is left in the raw
	// message and was never held decoded.
	ContentOmitted bool
}

// Message is the parsed form of one raw RFC 5322 message. Parse never fails:
// whatever could not be read is described in ParseErrors and the rest is kept.
type Message struct {
	MessageID  string   // without angle brackets; "" when missing
	InReplyTo  []string // without angle brackets
	References []string // without angle brackets, oldest first
	From       Address
	Sender     Address
	ReplyTo    []Address
	To         []Address
	Cc         []Address
	Subject    string    // decoded, exactly as written (Re:/Fwd: kept)
	Date       time.Time // zero when missing or unparseable

	// Header holds every header field, decoded to UTF-8, keys in canonical
	// MIME form (textproto.CanonicalMIMEHeaderKey), in message order.
	Header map[string][]string

	Text      string // the readable body: text/plain, or text derived from HTML
	HTML      string // the original (unsanitized) HTML body, if any
	NewText   string // the sender's new text: Text minus quoted history and signature
	Quoted    string // the quoted history removed from Text
	Signature string // the signature block removed from Text

	Attachments []Attachment

	// Automated is true for mail no person wrote (auto-replies, bounces, lists,
	// no-reply senders); AutomatedReasons says which signals fired.
	Automated        bool
	AutomatedReasons []string
	// BouncedMessageIDs lists the Message-IDs (without brackets) that a
	// delivery-status report says could not be delivered.
	BouncedMessageIDs []string

	ParseErrors []string // human-readable notes on what could not be parsed
	Size        int64    // size of the raw message in bytes
	ContentHash string   // hex SHA-256 of the raw message
}
