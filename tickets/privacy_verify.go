package tickets

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/emersion/go-msgauth/authres"
	"gorm.io/gorm"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/mailbox/smtpsend"
	"helpdesk/templates"
)

// Identity verification (issue 6, item 1). A rights request that needs it
// starts in awaiting_verification with no SLA clock. We mail a one-time
// code and a link to the address on file (the From address the customer
// record holds, never Reply-To, which a spoofer chooses). A reply on the
// ticket that carries the code, or a POST to the link, verifies: the
// ticket opens, the clock starts, the acknowledgement with its deadline
// goes out. Codes are 8 random digits, stored as keyed hashes, single use,
// expire (privacy.verification.code_ttl) and allow max_attempts wrong
// tries; every attempt is audited.

const (
	codeDigits      = 8
	maxCodesPerTick = 5 // new codes sent on one ticket after expiry or exhaustion
)

// VerificationCode is one code (and link token) issued for a ticket.
type VerificationCode struct {
	ID          int64 `gorm:"primaryKey"`
	TicketID    int64
	CustomerID  int64
	CodeHash    string
	TokenHash   string
	ExpiresAt   time.Time
	Attempts    int
	MaxAttempts int
	UsedAt      *time.Time
	CreatedAt   time.Time
}

// TableName is the migration's table name.
func (VerificationCode) TableName() string { return "verification_codes" }

// needsVerification applies the brand's rules; reason is for the log.
func (s *Service) needsVerification(brand *config.Brand, t *Ticket, cust *Customer, m *mailbox.Message) (bool, string) {
	p := brand.Privacy
	if t.Category != "rights" || t.Automated || !p.VerificationOn() {
		return false, ""
	}
	// A rights request of unknown type may be an access request.
	if t.RightsType != "" && !contains(p.VerifiedRights(), t.RightsType) {
		return false, ""
	}
	if p.AuthservID != "" {
		if ok, why := senderAuthenticated(m, p.AuthservID); !ok {
			return true, why
		}
	}
	if cust == nil || cust.VerifiedAt == nil {
		return true, "address is not a known verified customer"
	}
	return false, ""
}

// senderAuthenticated reads the topmost Authentication-Results header our
// own server (authservID) added: any DKIM, SPF or DMARC failure for the
// From domain fails, and so does the absence of a pass for it. Headers
// with another authserv-id are ignored: anyone can write them.
func senderAuthenticated(m *mailbox.Message, authservID string) (bool, string) {
	domain := ""
	if _, d, ok := strings.Cut(mailbox.NormalizeEmail(m.From.Email), "@"); ok {
		domain = d
	}
	if domain == "" {
		return false, "no sender domain"
	}
	for _, v := range m.Header["Authentication-Results"] {
		id, results, err := authres.Parse(v)
		if err != nil || !strings.EqualFold(strings.TrimSpace(id), authservID) {
			continue
		}
		pass := false
		for _, r := range results {
			switch r := r.(type) {
			case *authres.DMARCResult:
				if aligned(r.From, domain) || r.From == "" {
					if r.Value == authres.ResultPass {
						pass = true
					} else if r.Value != authres.ResultNone {
						return false, "dmarc=" + string(r.Value)
					}
				}
			case *authres.DKIMResult:
				if aligned(r.Domain, domain) {
					if r.Value == authres.ResultPass {
						pass = true
					} else if isFail(r.Value) {
						return false, "dkim=" + string(r.Value)
					}
				}
			case *authres.SPFResult:
				if aligned(addrDomain(r.From), domain) {
					if r.Value == authres.ResultPass {
						pass = true
					} else if isFail(r.Value) {
						return false, "spf=" + string(r.Value)
					}
				}
			}
		}
		if !pass {
			return false, "no passing authentication result for " + domain
		}
		return true, ""
	}
	return false, "no Authentication-Results from " + authservID
}

func isFail(v authres.ResultValue) bool {
	switch v {
	case authres.ResultFail, authres.ResultSoftFail, authres.ResultHardFail, authres.ResultPermError, authres.ResultPolicy:
		return true
	}
	return false
}

// aligned is relaxed DMARC alignment: the same organizational domain,
// approximated as one domain being the other or a subdomain of it.
func aligned(d, from string) bool {
	d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
	if d == "" {
		return false
	}
	return d == from || strings.HasSuffix(from, "."+d) || strings.HasSuffix(d, "."+from)
}

func addrDomain(s string) string {
	if _, d, ok := strings.Cut(s, "@"); ok {
		return d
	}
	return s
}

// newCode returns codeDigits random decimal digits.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", codeDigits, n.Int64()), nil
}

func (s *Service) codeHash(customerID int64, code string) (string, error) {
	return s.keyedHash("verify-code", fmt.Sprintf("%d:%s", customerID, code))
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// sendVerification issues a new code and link for t and queues the
// verification mail to the customer's address on file, threaded under
// inReplyTo.
func (s *Service) sendVerification(tx *gorm.DB, brand *config.Brand, t *Ticket, inReplyTo string, refs []string) error {
	_, err := s.sendVerificationRow(tx, brand, t, inReplyTo, refs)
	return err
}

func (s *Service) sendVerificationRow(tx *gorm.DB, brand *config.Brand, t *Ticket, inReplyTo string, refs []string) (*OutboxRow, error) {
	cust := t.Customer
	if cust == nil {
		c, err := customerByID(tx, t.CustomerID)
		if err != nil {
			return nil, err
		}
		cust = c
	}
	code, err := newCode()
	if err != nil {
		return nil, err
	}
	tok := make([]byte, 32)
	if _, err := rand.Read(tok); err != nil {
		return nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(tok)
	ch, err := s.codeHash(cust.ID, code)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	vc := VerificationCode{TicketID: t.ID, CustomerID: cust.ID, CodeHash: ch, TokenHash: tokenHash(token),
		ExpiresAt: now.Add(brand.Privacy.CodeTTL()), MaxAttempts: brand.Privacy.MaxAttempts(), CreatedAt: now}
	if err := tx.Create(&vc).Error; err != nil {
		return nil, fmt.Errorf("storing verification code: %w", err)
	}
	d := s.ticketData(brand, t, cust)
	d.Code, d.CodeExpires, d.VerifyURL = code, vc.ExpiresAt.In(s.location(brand.ID)), s.baseURL()+"/verify/"+token
	r, err := s.templates[brand.ID].Render(templates.NameVerify, replyLanguage(t, cust), d)
	if err != nil {
		return nil, fmt.Errorf("rendering verification mail: %w", err)
	}
	row, err := s.enqueue(tx, Outgoing{
		Brand: brand, Ticket: t, Kind: "verify", Automatic: true, To: mailbox.Address{Email: cust.Email, Name: cust.Name},
		Subject: r.Subject, Text: r.Text, HTML: r.HTML, AutoSubmitted: smtpsend.AutoReplied,
		InReplyTo: inReplyTo, References: refs, Code: code, Token: token,
	})
	if err != nil {
		return nil, err
	}
	return row, s.audit(tx, "system", "verification.sent", brand.ID, cust.Email, t.Ref, map[string]any{"expires_at": vc.ExpiresAt})
}

func (s *Service) baseURL() string {
	if s.cfg.HTTP.BaseURL != "" {
		return strings.TrimRight(s.cfg.HTTP.BaseURL, "/")
	}
	return "http://" + s.cfg.HTTP.Listen
}

func customerByID(tx *gorm.DB, id int64) (*Customer, error) {
	var c Customer
	if err := tx.First(&c, id).Error; err != nil {
		return nil, fmt.Errorf("loading customer: %w", err)
	}
	return &c, nil
}

var codePattern = regexp.MustCompile(`\b\d{4}[ -]?\d{4}\b`)

// Verification outcomes, as audited.
const (
	verifyOK        = "verified"
	verifyWrong     = "wrong"
	verifyExpired   = "expired"
	verifyUsed      = "reused"
	verifyExhausted = "too_many_attempts"
)

// verifyByMail checks the codes in the new text of a customer's reply on
// a ticket awaiting verification. Each distinct candidate is one attempt.
func (s *Service) verifyByMail(tx *gorm.DB, brand *config.Brand, t *Ticket, row *Message, m *mailbox.Message) error {
	cust, err := customerByID(tx, t.CustomerID)
	if err != nil {
		return err
	}
	// The code went to the customer's address; a reply from elsewhere does
	// not count (and does not burn the customer's attempts).
	if !strings.EqualFold(row.FromEmail, cust.Email) {
		return nil
	}
	text := m.NewText
	if strings.TrimSpace(text) == "" {
		text = m.Text
	}
	seen := map[string]bool{}
	var candidates []string
	for _, c := range codePattern.FindAllString(text, -1) {
		c = strings.NewReplacer(" ", "", "-", "").Replace(c)
		if !seen[c] {
			seen[c] = true
			candidates = append(candidates, c)
		}
	}
	var codes []VerificationCode
	if err := tx.Where("customer_id = ?", cust.ID).Order("id DESC").Find(&codes).Error; err != nil {
		return fmt.Errorf("loading verification codes: %w", err)
	}
	now := s.now().UTC()
	for _, cand := range candidates {
		outcome, vc, err := s.checkCode(tx, t, cust, codes, cand, now)
		if err != nil {
			return err
		}
		if err := s.audit(tx, "customer", "verification.attempt", brand.ID, cust.Email, t.Ref,
			map[string]string{"via": "mail", "result": outcome}); err != nil {
			return err
		}
		if outcome == verifyOK {
			return s.verifyTicket(tx, brand, t, cust, vc, "mail")
		}
	}
	// No valid code: if the ticket's code can no longer work, send a new one.
	var active int64
	if err := tx.Model(&VerificationCode{}).Where("ticket_id = ? AND used_at IS NULL AND expires_at > ? AND attempts < max_attempts",
		t.ID, now).Count(&active).Error; err != nil {
		return err
	}
	var issued int64
	if err := tx.Model(&VerificationCode{}).Where("ticket_id = ?", t.ID).Count(&issued).Error; err != nil {
		return err
	}
	if active == 0 && issued < maxCodesPerTick {
		t.Customer = cust
		return s.sendVerification(tx, brand, t, row.MessageID, threadRefs(m.References, row.MessageID))
	}
	return nil
}

// checkCode matches one candidate against the customer's codes. Only the
// ticket's own unused, unexpired code with tries left verifies; a match
// with any other code of the customer is refused as reused or expired;
// no match is a wrong try counted against the ticket's current code.
func (s *Service) checkCode(tx *gorm.DB, t *Ticket, cust *Customer, codes []VerificationCode, cand string, now time.Time) (string, *VerificationCode, error) {
	h, err := s.codeHash(cust.ID, cand)
	if err != nil {
		return "", nil, err
	}
	var current *VerificationCode
	for i := range codes {
		if codes[i].TicketID == t.ID && current == nil {
			current = &codes[i]
		}
	}
	for i := range codes {
		vc := &codes[i]
		if !hmacEqual(vc.CodeHash, h) {
			continue
		}
		switch {
		case vc.UsedAt != nil:
			return verifyUsed, nil, nil
		case vc.TicketID != t.ID:
			return verifyWrong, nil, s.countAttempt(tx, current)
		case !now.Before(vc.ExpiresAt):
			return verifyExpired, nil, nil
		case vc.Attempts >= vc.MaxAttempts:
			return verifyExhausted, nil, nil
		default:
			return verifyOK, vc, nil
		}
	}
	if current != nil && current.Attempts >= current.MaxAttempts {
		return verifyExhausted, nil, nil
	}
	return verifyWrong, nil, s.countAttempt(tx, current)
}

func (s *Service) countAttempt(tx *gorm.DB, vc *VerificationCode) error {
	if vc == nil {
		return nil
	}
	vc.Attempts++
	return tx.Model(vc).Update("attempts", vc.Attempts).Error
}

func hmacEqual(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// verifyTicket marks the code used, the customer verified and the ticket
// open with its clock started, and queues the acknowledgement with the
// deadline (held back while the ticket was unverified).
func (s *Service) verifyTicket(tx *gorm.DB, brand *config.Brand, t *Ticket, cust *Customer, vc *VerificationCode, via string) error {
	now := s.now().UTC()
	if err := tx.Model(vc).Update("used_at", now).Error; err != nil {
		return fmt.Errorf("marking code used: %w", err)
	}
	if err := tx.Model(cust).Updates(map[string]any{"verified_at": now, "updated_at": now}).Error; err != nil {
		return fmt.Errorf("marking customer verified: %w", err)
	}
	cust.VerifiedAt = &now
	t.Status = StatusOpen
	t.UpdatedAt = now
	s.StartClock(t, now)
	if err := saveSLA(tx, t); err != nil {
		return err
	}
	if err := s.audit(tx, "customer", "verification.verified", brand.ID, cust.Email, t.Ref, map[string]string{"via": via}); err != nil {
		return err
	}
	var first Message
	err := tx.Where("ticket_id = ? AND direction = ?", t.ID, DirectionIn).Order("id").First(&first).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return err
	}
	t.Customer = cust
	m := &mailbox.Message{MessageID: first.MessageID, From: mailbox.Address{Email: cust.Email, Name: cust.Name}}
	if first.Refs != "" {
		m.References = strings.Fields(first.Refs)
	}
	return s.acknowledge(tx, brand, t, m, nil)
}

// handleVerify serves the verification link. GET only shows a button:
// mail scanners fetch links, and a fetch must not verify anyone. POST
// verifies. The page says nothing about the customer.
func (s *Service) handleVerify(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodGet {
		fmt.Fprintf(w, verifyPage, `<p>Please confirm that you made this request.</p>
<form method="post" action="/verify/`+html.EscapeString(url.PathEscape(token))+`"><button type="submit">Confirm</button></form>`)
		return
	}
	ok, msg := false, "This link is not valid."
	err := s.store.db.WithContext(r.Context()).Transaction(func(tx *gorm.DB) error {
		var vc VerificationCode
		err := tx.Where("token_hash = ?", tokenHash(token)).First(&vc).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		t, err := s.ticketByID(tx, vc.TicketID)
		if err != nil {
			return err
		}
		cust, err := customerByID(tx, vc.CustomerID)
		if err != nil {
			return err
		}
		brand, found := s.cfg.Brand(t.Brand)
		if !found {
			return nil
		}
		now := s.now().UTC()
		outcome := verifyOK
		switch {
		case vc.UsedAt != nil || t.Status != StatusAwaitingVerification:
			outcome, msg = verifyUsed, "This link was already used."
		case !now.Before(vc.ExpiresAt):
			outcome, msg = verifyExpired, "This link has expired. Reply to our email and we will send a new one."
		case vc.Attempts >= vc.MaxAttempts:
			outcome, msg = verifyExhausted, "This link can no longer be used. Reply to our email and we will send a new one."
		}
		if err := s.audit(tx, "customer", "verification.attempt", brand.ID, cust.Email, t.Ref,
			map[string]string{"via": "link", "result": outcome}); err != nil {
			return err
		}
		if outcome != verifyOK {
			return nil
		}
		ok = true
		return s.verifyTicket(tx, brand, t, cust, &vc, "link")
	})
	if err != nil {
		s.log.Error("verification link", "err", err)
		http.Error(w, "temporary error, please try again", http.StatusInternalServerError)
		return
	}
	if ok {
		fmt.Fprintf(w, verifyPage, "<p>Thank you: your request is verified. We will answer it by email.</p>")
		return
	}
	w.WriteHeader(http.StatusGone)
	fmt.Fprintf(w, verifyPage, "<p>"+html.EscapeString(msg)+"</p>")
}

const verifyPage = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Verification</title><meta name="robots" content="noindex"></head><body style="font-family:sans-serif;max-width:32em;margin:3em auto">
%s
</body></html>
`

// replyUnverified is an agent's reply on a ticket awaiting verification:
// only a new verification mail (template verify, no body, no attachments)
// may go; it carries a fresh code.
func (s *Service) replyUnverified(ctx context.Context, t *Ticket, brand *config.Brand, o ReplyOptions) (*OutboxRow, error) {
	if o.Template != templates.NameVerify || strings.TrimSpace(o.Body) != "" || len(o.Attachments) > 0 {
		return nil, fmt.Errorf("%w: ticket %s awaits identity verification: nothing but a new verification mail (--template verify, no attachments) may be sent", ErrInvalid, t.Ref)
	}
	var row *OutboxRow
	err := s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		last, refs, err := threadOf(tx, t.ID)
		if err != nil {
			return err
		}
		irt := ""
		if last != nil {
			irt = last.MessageID
		}
		row, err = s.sendVerificationRow(tx, brand, t, irt, refs)
		return err
	})
	return row, err
}
