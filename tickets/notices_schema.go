package tickets

import (
	"net/http"

	"gorm.io/gorm"
)

// schemaV5 holds the notice tables (filled by the notices work).
const schemaV5 = `
CREATE TABLE notices (
	id {{pk}},
	brand TEXT NOT NULL,
	created_at {{time}} NOT NULL
);
`

// handleUnsubscribe serves the one-click unsubscribe link of notices.
func (s *Service) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not implemented", http.StatusNotImplemented)
}

// noticeBounced marks notice recipients whose mail bounced (ids are the
// Message-IDs a delivery-status report names).
func (s *Service) noticeBounced(tx *gorm.DB, brand string, ids []string) error {
	return nil
}
