package tickets

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/mailbox/smtpsend"
)

// schemaV4 holds the privacy tables:
//   - customer_consent: one row per purpose a customer switched off (or
//     back on); no row means not withdrawn;
//   - verification_codes: the one-time code and link token of a ticket
//     awaiting identity verification, both stored as hashes;
//   - audit_log: append-only (triggers raise on UPDATE and DELETE);
//   - erasures: keyed hashes of erased addresses per brand.
const schemaV4 = `
CREATE TABLE customer_consent (
	customer_id BIGINT NOT NULL REFERENCES customers (id),
	purpose TEXT NOT NULL,
	allowed {{bool}} NOT NULL,
	updated_at {{time}} NOT NULL,
	PRIMARY KEY (customer_id, purpose)
);

CREATE TABLE verification_codes (
	id {{pk}},
	ticket_id BIGINT NOT NULL REFERENCES tickets (id),
	customer_id BIGINT NOT NULL REFERENCES customers (id),
	code_hash TEXT NOT NULL,
	token_hash TEXT NOT NULL,
	expires_at {{time}} NOT NULL,
	attempts BIGINT NOT NULL DEFAULT 0,
	max_attempts BIGINT NOT NULL,
	used_at {{time}},
	created_at {{time}} NOT NULL
);
CREATE INDEX verification_codes_ticket ON verification_codes (ticket_id);
CREATE INDEX verification_codes_customer ON verification_codes (customer_id);
CREATE UNIQUE INDEX verification_codes_token ON verification_codes (token_hash);

CREATE TABLE audit_log (
	id {{pk}},
	at {{time}} NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	brand TEXT NOT NULL DEFAULT '',
	subject_hash TEXT NOT NULL DEFAULT '',
	ticket_ref TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_subject ON audit_log (subject_hash);
{{audit_append_only}};

CREATE TABLE erasures (
	brand TEXT NOT NULL,
	email_hash TEXT NOT NULL,
	erased_at {{time}} NOT NULL,
	PRIMARY KEY (brand, email_hash)
);
`

// verificationNeeded decides, in the ingest transaction and before the
// ticket is inserted, whether a new ticket must wait for identity
// verification (its SLA clock then starts at verification).
func (s *Service) verificationNeeded(tx *gorm.DB, brand *config.Brand, t *Ticket, cust *Customer, m *mailbox.Message) (bool, error) {
	if cust != nil && cust.VerifiedAt == nil && cust.ID != 0 && t.Category == "rights" {
		// The ingest path loads only what every ticket needs; rights
		// requests are rare enough to look verified_at up here.
		var at []time.Time
		if err := tx.Model(&Customer{}).Where("id = ? AND verified_at IS NOT NULL", cust.ID).Pluck("verified_at", &at).Error; err != nil {
			return false, fmt.Errorf("loading customer verification: %w", err)
		}
		if len(at) > 0 {
			cust.VerifiedAt = &at[0]
		}
	}
	need, reason := s.needsVerification(brand, t, cust, m)
	if need {
		s.log.Info("rights request awaits identity verification", "ticket", t.Ref, "reason", reason)
	}
	return need, nil
}

// afterTicketOpened runs in the ingest transaction after a new ticket and
// its first message are stored: it sends the verification mail, copies a
// complaint to the privacy officer, and applies a consent withdrawal.
func (s *Service) afterTicketOpened(tx *gorm.DB, brand *config.Brand, t *Ticket, row *Message, m *mailbox.Message) error {
	switch {
	case t.Status == StatusAwaitingVerification:
		return s.sendVerification(tx, brand, t, m.MessageID, threadRefs(m.References, m.MessageID))
	case t.Category != "rights":
		return nil
	case t.RightsType == "complaint":
		return s.copyComplaint(tx, brand, t, row)
	case t.RightsType == "consent_withdrawal":
		return s.withdrawConsent(tx, brand, t)
	}
	return nil
}

// afterThreadedMessage runs in the ingest transaction after a message was
// stored on an existing ticket: a customer's reply on a ticket awaiting
// verification may carry the code.
func (s *Service) afterThreadedMessage(tx *gorm.DB, brand *config.Brand, t *Ticket, row *Message, m *mailbox.Message) error {
	if t.Status != StatusAwaitingVerification || row.Automated {
		return nil
	}
	return s.verifyByMail(tx, brand, t, row, m)
}

// copyComplaint sends a copy of a complaint, with the original mail
// attached, to the brand's privacy officer.
func (s *Service) copyComplaint(tx *gorm.DB, brand *config.Brand, t *Ticket, row *Message) error {
	officer := brand.Privacy.Officer
	if officer == "" {
		officer = brand.PrivacyContact
	}
	if officer == "" || strings.EqualFold(officer, brand.Address) {
		return nil // the complaint is already in the officer's mailbox
	}
	var raw []byte
	if row.RawID != nil {
		var err error
		if raw, err = loadRaw(tx, *row.RawID); err != nil {
			return fmt.Errorf("loading complaint raw: %w", err)
		}
	}
	text := fmt.Sprintf("A privacy complaint arrived as ticket %s (priority %s, due %s).\n\nFrom: %s\nSubject: %s\n\n%s\n",
		t.Ref, t.Priority, dueText(t), row.FromEmail, row.Subject, row.Text)
	o := Outgoing{Brand: brand, Ticket: t, Kind: "privacy_copy", To: mailbox.Address{Email: officer},
		Subject: "[" + t.Ref + "] Privacy complaint: " + row.Subject, Text: text}
	if len(raw) > 0 {
		o.Attachments = []smtpsend.Attachment{{Filename: "complaint.eml", ContentType: "message/rfc822", Content: raw}}
	}
	_, err := s.enqueue(tx, o)
	return err
}

func dueText(t *Ticket) string {
	if t.ResolutionDue == nil {
		return "not set"
	}
	return t.ResolutionDue.Format("2006-01-02 15:04 MST")
}

// consentAllows reports whether the mail o may go to its recipient given
// the ticket's state and the recipient's consent, and why not.
//
// Kinds and purposes:
//   - ack, reply, resolved, verify: the answer to the customer's own
//     request: always allowed (but see below for unverified tickets);
//   - agent, privacy_copy: internal mail: always allowed;
//   - notice_mandatory: a legal notice (core rights change): always allowed;
//   - notice: purpose "notices"; marketing: purpose "marketing";
//     order_status: purpose "order_status";
//   - any other kind is its own purpose (a brand's consent_purposes).
//
// While a ticket awaits identity verification only the verification mail
// (and internal mail) may go out about it: nothing about the customer's
// data is sent before we know who asked.
func (s *Service) consentAllows(tx *gorm.DB, o Outgoing) (bool, string, error) {
	switch o.Kind {
	case "agent", "privacy_copy":
		return true, "", nil
	}
	if o.Ticket != nil && o.Ticket.Status == StatusAwaitingVerification && o.Kind != "verify" {
		return false, "awaiting identity verification: only the verification mail is sent", nil
	}
	purpose := ""
	switch o.Kind {
	case "ack", "reply", "resolved", "verify", "notice_mandatory":
		return true, "", nil
	case "notice":
		purpose = "notices"
	default:
		purpose = o.Kind
	}
	if o.Brand == nil {
		return true, "", nil
	}
	erased, err := s.isErased(tx, o.Brand.ID, o.To.Email)
	if err != nil {
		return false, "", err
	}
	if erased {
		return false, "recipient's data was erased", nil
	}
	ok, err := s.hasConsent(tx, o.Brand.ID, o.To.Email, purpose)
	if err != nil {
		return false, "", err
	}
	if !ok {
		return false, "customer withdrew consent for " + purpose, nil
	}
	return true, "", nil
}

// isErased reports whether email was erased from brand (a keyed hash of it
// is on the erasure list), so imports and sends never re-create the person.
func (s *Service) isErased(tx *gorm.DB, brand, email string) (bool, error) {
	h, err := s.SubjectHash(email)
	if err != nil {
		return false, err
	}
	var n int64
	if err := tx.Table("erasures").Where("brand = ? AND email_hash = ?", brand, h).Count(&n).Error; err != nil {
		return false, fmt.Errorf("checking erasure list: %w", err)
	}
	return n > 0, nil
}

// hasConsent reports whether the customer allows mail for purpose:
// "order_status", "marketing", "notices", or a purpose the brand configures.
// Unknown customers have not withdrawn anything.
func (s *Service) hasConsent(tx *gorm.DB, brand, email, purpose string) (bool, error) {
	var allowed []bool
	err := tx.Table("customer_consent AS cc").Joins("JOIN customers c ON c.id = cc.customer_id").
		Where("c.brand = ? AND c.email = ? AND cc.purpose = ?", brand, mailbox.NormalizeEmail(email), purpose).
		Pluck("cc.allowed", &allowed).Error
	if err != nil {
		return false, fmt.Errorf("checking consent: %w", err)
	}
	return len(allowed) == 0 || allowed[0], nil
}
