package tickets

import (
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"gorm.io/gorm"

	"helpdesk/config"
)

func hexDecode(s string) ([]byte, error) { return hex.DecodeString(s) }

// handleUnsubscribe serves the unsubscribe link of ordinary notices. A
// POST (the RFC 8058 one-click request a mail client sends, or the button
// of the confirm page) withdraws the customer's consent to notices. A GET
// only shows the confirm page: link scanners fetch every URL in a mail,
// and must not unsubscribe anyone by doing so.
func (s *Service) handleUnsubscribe(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	db := s.store.db.WithContext(r.Context())
	rec, n, err := recipientByRef(db, token, "unsub")
	if err != nil {
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	if rec == nil || n.CoreRights {
		http.Error(w, "This unsubscribe link is not valid.", http.StatusNotFound)
		return
	}
	brandName := n.Brand
	if b, ok := s.cfg.Brand(n.Brand); ok {
		brandName = b.Name
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method != http.MethodPost {
		// The link may have been forwarded: show the address masked.
		fmt.Fprintf(w, `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>Unsubscribe</title>
<p>Stop receiving policy notices from %s at %s?</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
<p>Notices about changes to your core rights are still sent to every customer.</p>`,
			html.EscapeString(brandName), html.EscapeString(maskEmail(rec.Email)))
		return
	}
	now := s.now().UTC()
	if err := db.Transaction(func(tx *gorm.DB) error {
		return s.withdrawNoticeConsent(tx, rec, now)
	}); err != nil {
		s.log.Error("recording unsubscribe", "recipient", rec.ID, "err", err)
		http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	s.log.Info("unsubscribed from notices", "brand", n.Brand, "notice", n.ID)
	fmt.Fprintf(w, `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>Unsubscribed</title>
<p>You will no longer receive policy notices from %s. Notices about changes to your core rights are still sent to every customer.</p>`,
		html.EscapeString(brandName))
}

// withdrawNoticeConsent switches the customer's "notices" consent off
// through the privacy consent store (so the change is audited like any
// other, and hasConsent sees it before every ordinary notice) and records
// the opt-out on the recipient row, for the notice's own statistics.
func (s *Service) withdrawNoticeConsent(tx *gorm.DB, rec *NoticeRecipient, now time.Time) error {
	custs, err := findCustomers(tx, rec.Email, rec.Brand)
	if err != nil {
		return fmt.Errorf("withdrawing consent to notices: %w", err)
	}
	for i := range custs {
		if err := s.setConsent(tx, &custs[i], map[string]bool{"notices": false}, "unsubscribe-link",
			fmt.Sprintf("notice %d", rec.NoticeID)); err != nil {
			return fmt.Errorf("withdrawing consent to notices: %w", err)
		}
	}
	return tx.Model(&NoticeRecipient{}).Where("id = ? AND unsubscribed_at IS NULL", rec.ID).
		Update("unsubscribed_at", now).Error
}

// noticeBounced marks notice recipients whose mail bounced (ids are the
// Message-IDs a delivery-status report names). Only an id whose MAC checks
// out and that matches the row's recorded Message-ID counts, so a forged
// report cannot fail someone else's copy.
func (s *Service) noticeBounced(tx *gorm.DB, brand string, ids []string) error {
	for _, id := range ids {
		rec, _, err := recipientByRef(tx, id, "mid")
		if err != nil {
			return fmt.Errorf("finding bounced notice: %w", err)
		}
		if rec == nil || rec.Brand != brand || !strings.EqualFold(rec.MessageID, strings.Trim(id, "<> ")) {
			continue
		}
		if err := tx.Model(&NoticeRecipient{}).Where("id = ?", rec.ID).Updates(map[string]any{
			"status": RecipientFailed, "last_error": "bounced: the recipient's server reported non-delivery"}).Error; err != nil {
			return fmt.Errorf("recording notice bounce: %w", err)
		}
	}
	return nil
}

// noticeThread finds the ticket a reply to a notice belongs to. Each
// recipient's copy has its own Message-ID, so the reply is about that
// customer alone: it joins the ticket an earlier reply of theirs to the
// same notice opened, or (nil) opens a new one for them. It never joins a
// thread shared by all recipients.
func (s *Service) noticeThread(tx *gorm.DB, brand *config.Brand, ids []string) (*Ticket, error) {
	for _, id := range ids {
		rec, _, err := recipientByRef(tx, id, "mid")
		if err != nil {
			return nil, fmt.Errorf("threading a notice reply: %w", err)
		}
		if rec == nil || rec.Brand != brand.ID {
			continue
		}
		like := "%" + strings.Trim(id, "<> ") + "%"
		var ticketIDs []int64
		err = tx.Table("messages").Select("messages.ticket_id").
			Joins("JOIN tickets ON tickets.id = messages.ticket_id").
			Joins("JOIN customers ON customers.id = tickets.customer_id").
			Where("customers.brand = ? AND customers.email = ? AND (messages.in_reply_to LIKE ? OR messages.refs LIKE ?)",
				brand.ID, rec.Email, like, like).
			Order("messages.id DESC").Limit(1).Pluck("messages.ticket_id", &ticketIDs).Error
		if err != nil {
			return nil, fmt.Errorf("threading a notice reply: %w", err)
		}
		if len(ticketIDs) > 0 {
			return s.ticketByID(tx, ticketIDs[0])
		}
		return nil, nil
	}
	return nil, nil
}

// maskEmail keeps the first character of the local part and the domain:
// "a•••@example.com". Enough for the owner to recognise, little for anyone
// else who holds the link.
func maskEmail(email string) string {
	local, domain, ok := strings.Cut(email, "@")
	if !ok || local == "" {
		return "•••"
	}
	r := []rune(local)
	return string(r[0]) + "•••@" + domain
}
