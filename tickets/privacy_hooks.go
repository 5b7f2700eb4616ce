package tickets

import (
	"net/http"

	"gorm.io/gorm"

	"helpdesk/config"
	"helpdesk/mailbox"
)

// schemaV4 holds the privacy tables (filled by the privacy work).
const schemaV4 = `
CREATE TABLE audit_log (
	id {{pk}},
	at {{time}} NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	subject_hash TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT ''
);
`

// verificationNeeded decides, in the ingest transaction and before the
// ticket is inserted, whether a new ticket must wait for identity
// verification (its SLA clock then starts at verification).
func (s *Service) verificationNeeded(tx *gorm.DB, brand *config.Brand, t *Ticket, cust *Customer, m *mailbox.Message) (bool, error) {
	return false, nil
}

// afterTicketOpened runs in the ingest transaction after a new ticket and
// its first message are stored.
func (s *Service) afterTicketOpened(tx *gorm.DB, brand *config.Brand, t *Ticket, row *Message, m *mailbox.Message) error {
	return nil
}

// afterThreadedMessage runs in the ingest transaction after a message was
// stored on an existing ticket.
func (s *Service) afterThreadedMessage(tx *gorm.DB, brand *config.Brand, t *Ticket, row *Message, m *mailbox.Message) error {
	return nil
}

// consentAllows reports whether the mail o may go to its recipient given
// their consent state, and why not.
func (s *Service) consentAllows(tx *gorm.DB, o Outgoing) (bool, string, error) {
	return true, "", nil
}

// handleVerify serves the verification link sent to a customer.
func (s *Service) handleVerify(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not implemented", http.StatusNotImplemented)
}

// isErased reports whether email was erased from brand (a keyed hash of it
// is on the erasure list), so imports and sends never re-create the person.
func (s *Service) isErased(tx *gorm.DB, brand, email string) (bool, error) {
	return false, nil
}

// hasConsent reports whether the customer allows mail for purpose:
// "order_status", "marketing", "notices", or a purpose the brand configures.
// Unknown customers have not withdrawn anything.
func (s *Service) hasConsent(tx *gorm.DB, brand, email, purpose string) (bool, error) {
	return true, nil
}
