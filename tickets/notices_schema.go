package tickets

import (
	"time"
)

// schemaV5 holds the notice tables. A notice is one policy-change
// announcement; notice_translations holds its other languages; and
// notice_recipients holds one durable row per customer, created in one
// statement when the send is scheduled, which the notice workers claim,
// send and mark exactly like outbox rows. The Message-ID and unsubscribe
// token of a recipient are derived from the row id and the notice's secret
// (see noticeMessageID), so scheduling 100,000 recipients writes no
// per-row random values and needs no extra index to find a row again.
const schemaV5 = `
CREATE TABLE notices (
	id {{pk}},
	brand TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	language TEXT NOT NULL DEFAULT '',
	effective_date TEXT NOT NULL,
	published_on TEXT NOT NULL,
	core_rights {{bool}} NOT NULL DEFAULT FALSE,
	status TEXT NOT NULL,
	secret TEXT NOT NULL,
	total BIGINT NOT NULL DEFAULT 0,
	created_by TEXT NOT NULL DEFAULT '',
	created_at {{time}} NOT NULL,
	updated_at {{time}} NOT NULL,
	scheduled_at {{time}},
	finished_at {{time}}
);
CREATE INDEX notices_status ON notices (status);

CREATE TABLE notice_translations (
	notice_id BIGINT NOT NULL REFERENCES notices (id),
	language TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	PRIMARY KEY (notice_id, language)
);

CREATE TABLE notice_recipients (
	id {{pk}},
	notice_id BIGINT NOT NULL REFERENCES notices (id),
	brand TEXT NOT NULL,
	email TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	attempts BIGINT NOT NULL DEFAULT 0,
	next_attempt_at {{time}} NOT NULL,
	claimed_by TEXT NOT NULL DEFAULT '',
	claimed_until {{time}},
	message_id TEXT NOT NULL DEFAULT '',
	last_error TEXT NOT NULL DEFAULT '',
	server_reply TEXT NOT NULL DEFAULT '',
	sent_at {{time}},
	unsubscribed_at {{time}}
);
CREATE UNIQUE INDEX notice_recipients_one ON notice_recipients (notice_id, email);
CREATE INDEX notice_recipients_due ON notice_recipients (status, notice_id, id)
`

// Notice statuses.
const (
	NoticeDraft     = "draft"     // created, not yet scheduled
	NoticeSending   = "sending"   // scheduled: the daemon's notice workers send it
	NoticePaused    = "paused"    // workers leave its rows alone until resumed
	NoticeCancelled = "cancelled" // rows not yet sent will never be
	NoticeDone      = "done"      // every recipient is sent, failed or skipped
)

// Recipient statuses.
const (
	RecipientQueued    = "queued"    // waiting for a worker (maybe after a temporary failure)
	RecipientSending   = "sending"   // claimed by a worker until claimed_until
	RecipientSent      = "sent"      // accepted by the server
	RecipientFailed    = "failed"    // refused, out of attempts, or bounced; last_error says why
	RecipientSkipped   = "skipped"   // never sent (consent withdrawn, erased, robot address); last_error says why
	RecipientCancelled = "cancelled" // the notice was cancelled first
)

// Notice is one policy-change announcement.
type Notice struct {
	ID            int64      `gorm:"primaryKey" json:"id"`
	Brand         string     `json:"brand"`
	Title         string     `json:"title"`
	Body          string     `json:"-"`
	Language      string     `json:"language"`
	EffectiveDate string     `json:"effective_date"`
	PublishedOn   string     `json:"published_on"`
	CoreRights    bool       `json:"core_rights"`
	Status        string     `json:"status"`
	Secret        string     `json:"-"`
	Total         int64      `json:"total"`
	CreatedBy     string     `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	ScheduledAt   *time.Time `json:"scheduled_at"`
	FinishedAt    *time.Time `json:"finished_at"`
}

// TableName is the migration's table name.
func (Notice) TableName() string { return "notices" }

// NoticeTranslation is a notice's title and body in another language.
type NoticeTranslation struct {
	NoticeID int64  `gorm:"primaryKey"`
	Language string `gorm:"primaryKey"`
	Title    string
	Body     string
}

// TableName is the migration's table name.
func (NoticeTranslation) TableName() string { return "notice_translations" }

// NoticeRecipient is one customer's copy of a notice and its send state.
type NoticeRecipient struct {
	ID             int64 `gorm:"primaryKey"`
	NoticeID       int64
	Brand          string
	Email          string
	Name           string
	Language       string
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	ClaimedBy      string
	ClaimedUntil   *time.Time
	MessageID      string
	LastError      string
	ServerReply    string
	SentAt         *time.Time
	UnsubscribedAt *time.Time
}

// TableName is the migration's table name.
func (NoticeRecipient) TableName() string { return "notice_recipients" }
