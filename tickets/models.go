package tickets

import (
	"time"

	"helpdesk/mailbox"
)

// Ticket statuses (DESIGN.md contract).
const (
	StatusOpen                 = "open"
	StatusPending              = "pending"
	StatusResolved             = "resolved"
	StatusClosed               = "closed"
	StatusAwaitingVerification = "awaiting_verification"
)

// Message directions.
const (
	DirectionIn  = "in"
	DirectionOut = "out"
)

// Customer is a person who wrote to a brand or was imported for it.
type Customer struct {
	ID         int64 `gorm:"primaryKey"`
	Brand      string
	Email      string
	Name       string
	Language   string
	Phone      string
	Address    string
	Source     string // "mail" or "import"
	VerifiedAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Ticket is one conversation with a customer.
type Ticket struct {
	ID                    int64 `gorm:"primaryKey"`
	Brand                 string
	Number                int64
	Ref                   string
	CustomerID            int64
	Subject               string
	Category              string
	RightsType            string
	Language              string
	Automated             bool
	Status                string
	Priority              string
	Confidence            float64
	Reasons               string // JSON array
	CreatedAt             time.Time
	UpdatedAt             time.Time
	SLAStartedAt          *time.Time `gorm:"column:sla_started_at"`
	FirstResponseDue      *time.Time
	FirstResponseAt       *time.Time
	ResolutionDue         *time.Time
	ResolvedAt            *time.Time
	PausedAt              *time.Time
	PausedOpenNs          int64 // open (business) time spent pending so far
	PausedWallNs          int64 // wall-clock time spent pending so far
	FirstResponseWarned   bool
	FirstResponseBreached bool
	Warned                bool // resolution deadline warning sent
	Breached              bool // resolution deadline passed unresolved

	Customer *Customer `gorm:"foreignKey:CustomerID"`
}

// Message is one mail on a ticket (or, for automated mail that threads
// nowhere, on no ticket), incoming or outgoing.
type Message struct {
	ID               int64 `gorm:"primaryKey"`
	Brand            string
	TicketID         *int64
	Direction        string
	MessageID        string
	DedupeKey        string // "mid:<Message-ID>" or "hash:<content key>", unique per brand
	ContentKey       string // hash of sender, date, subject and text: survives re-delivery
	FromEmail        string
	FromName         string
	ToAddrs          string // JSON array of addresses
	CcAddrs          string // JSON array of addresses
	Subject          string
	Date             *time.Time
	InReplyTo        string // space-separated ids
	Refs             string // space-separated ids
	Text             string
	NewText          string // "" when derived from Text: read it with FullNewText
	Quoted           string
	Signature        string
	HTML             string `gorm:"column:html"`
	Automated        bool
	AutomatedReasons string // JSON array
	ParseErrors      string // JSON array
	Size             int64
	ContentHash      string
	RawID            *int64
	Folder           string
	UIDValidity      int64 `gorm:"column:uid_validity"`
	UID              int64 `gorm:"column:uid"`
	Category         string
	RightsType       string
	Language         string
	Confidence       float64
	Reasons          string // JSON array
	CreatedAt        time.Time
}

// FullNewText is the sender's new text. It is stored only when it is more
// than the trimmed text (see storedNewText), so it is derived here when the
// message has neither quoted history nor a signature.
func (m *Message) FullNewText() string {
	if m.NewText == "" && m.Quoted == "" && m.Signature == "" {
		return mailbox.TrimBlankLines(m.Text)
	}
	return m.NewText
}

// RawMessage holds the exact RFC 5322 bytes of a message, kept apart so
// listing messages never loads them. A large message is kept in
// raw_chunks instead (Chunks > 0, Data empty): read it with loadRaw.
type RawMessage struct {
	ID     int64 `gorm:"primaryKey"`
	Data   []byte
	Chunks int64
}

// Attachment is one stored attachment of a message.
type Attachment struct {
	ID          int64 `gorm:"primaryKey"`
	MessageID   int64
	Filename    string
	ContentType string
	ContentID   string
	Inline      bool
	Size        int64
	Data        []byte
}

// Checkpoint is the durable ingest position of one brand's folder.
type Checkpoint struct {
	Brand       string `gorm:"primaryKey"`
	Folder      string `gorm:"primaryKey"`
	UIDValidity int64  `gorm:"column:uid_validity"`
	LastUID     int64  `gorm:"column:last_uid"`
	UpdatedAt   time.Time
}

// TableName keeps the table name stable.
func (Checkpoint) TableName() string { return "mailbox_checkpoints" }

// Quarantine records a message that could not be stored normally (its
// body could not be fetched, or it exceeds the size limit).
type Quarantine struct {
	ID          int64 `gorm:"primaryKey"`
	Brand       string
	Folder      string
	UIDValidity int64 `gorm:"column:uid_validity"`
	UID         int64 `gorm:"column:uid"`
	Reason      string
	RawID       *int64
	CreatedAt   time.Time
}

// TableName keeps the table name singular, as the migration creates it.
func (Quarantine) TableName() string { return "quarantine" }

// Correction is an agent's change of a ticket's classification. `classify
// train` learns from these.
type Correction struct {
	ID            int64 `gorm:"primaryKey"`
	TicketID      int64
	MessageRowID  *int64
	OldCategory   string
	OldRightsType string
	Category      string
	RightsType    string
	Agent         string
	CreatedAt     time.Time
}

// TableName is the migration's table name.
func (Correction) TableName() string { return "classification_corrections" }
