package tickets

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"helpdesk/mailbox"
)

// A verification mail carries a one-time code and a link token, and the
// store keeps only their keyed hashes (verification_codes). Our copy of
// the mail must not hold them either, or anyone who can read the database
// or the ticket's thread could verify in the customer's place. So the
// mail's message row (what `tickets show` and exports print) is stored
// with both withheld from the start. The rendered mail in the outbox needs
// them until it has gone; once its send is finished, sent or failed for
// good, it is rewritten without them (withholdSent). A crash between the
// two is caught by WithholdJob within ten minutes.

const (
	withheldCode = "[code not stored]"
	withheldLink = "[link not stored]"
)

// withhold replaces each secret in text by its placeholder.
func withhold(text, code, token string) string {
	if code != "" {
		text = strings.ReplaceAll(text, code, withheldCode)
	}
	if token != "" {
		text = strings.ReplaceAll(text, token, withheldLink)
	}
	return text
}

// withholdSent rewrites the stored copy of a finished verification mail
// without its codes and link tokens. It knows them only by their hashes,
// so it hashes every candidate in the mail's text and replaces those that
// match a code or token of the ticket: a phone number in the brand's
// signature stays as it is.
func (s *Service) withholdSent(ctx context.Context, row *OutboxRow) error {
	if row.RawID == nil || row.TicketID == nil {
		return nil
	}
	return s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var codes []VerificationCode
		if err := tx.Where("ticket_id = ?", *row.TicketID).Find(&codes).Error; err != nil {
			return fmt.Errorf("loading verification codes: %w", err)
		}
		if len(codes) == 0 {
			return nil
		}
		raw, err := loadRaw(tx, *row.RawID)
		if err != nil {
			return err
		}
		m := secretMatcher{s: s, codes: codes,
			code: regexp.MustCompile(fmt.Sprintf(`\b\d{%d}\b`, codeDigits)),
			link: regexp.MustCompile(`/verify/([A-Za-z0-9_-]{20,})`)}
		out, changed := mailbox.RewriteText(raw, m.replace)
		if m.err != nil {
			return m.err
		}
		if !changed {
			return nil
		}
		return replaceRaw(tx, s.store.driver, *row.RawID, out)
	})
}

// secretMatcher replaces the codes and link tokens of codes in a text.
type secretMatcher struct {
	s          *Service
	codes      []VerificationCode
	code, link *regexp.Regexp
	err        error
}

func (m *secretMatcher) replace(text string) string {
	text = m.code.ReplaceAllStringFunc(text, func(cand string) string {
		for _, vc := range m.codes {
			h, err := m.s.codeHash(vc.CustomerID, cand)
			if err != nil {
				m.err = err
				return cand
			}
			if h == vc.CodeHash {
				return withheldCode
			}
		}
		return cand
	})
	return m.link.ReplaceAllStringFunc(text, func(link string) string {
		token := strings.TrimPrefix(link, "/verify/")
		for _, vc := range m.codes {
			if tokenHash(token) == vc.TokenHash {
				return "/verify/" + withheldLink
			}
		}
		return link
	})
}

// WithholdJob rewrites, every ten minutes, the finished verification
// mails of the last week that still hold a code or a link token: those
// whose send finished just before a crash. It is idempotent, and a week
// is far beyond any code's lifetime.
func (s *Service) WithholdJob() Job {
	return Job{Name: "withhold-verification", Spec: "@every 10m", Run: s.WithholdFinishedVerifications}
}

// WithholdFinishedVerifications runs withholdSent over the finished
// verification mails of the last week.
func (s *Service) WithholdFinishedVerifications(ctx context.Context) error {
	// next_attempt_at is set when a row is queued and only moves later, so
	// this reaches every verification mail of the week through the
	// (status, next_attempt_at) index instead of scanning the outbox,
	// which holds every mail ever sent.
	var rows []OutboxRow
	if err := s.store.db.WithContext(ctx).Where("status IN ? AND next_attempt_at > ? AND kind = ?",
		[]string{OutboxSent, OutboxFailed}, s.now().UTC().Add(-7*24*time.Hour), "verify").Find(&rows).Error; err != nil {
		return fmt.Errorf("finding finished verification mails: %w", err)
	}
	for i := range rows {
		if err := s.withholdSent(ctx, &rows[i]); err != nil {
			return fmt.Errorf("outbox row %d: %w", rows[i].ID, err)
		}
	}
	return nil
}
