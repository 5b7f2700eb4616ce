package tickets

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"helpdesk/config"
	"helpdesk/mailbox"
)

// Consent (issue 6, item 5): per customer and purpose, a row in
// customer_consent records a withdrawal (allowed = false) or a renewed
// consent; no row means the customer has withdrawn nothing.

// ConsentRow is one customer_consent row.
type ConsentRow struct {
	CustomerID int64  `gorm:"primaryKey"`
	Purpose    string `gorm:"primaryKey"`
	Allowed    bool
	UpdatedAt  time.Time
}

// TableName is the migration's table name.
func (ConsentRow) TableName() string { return "customer_consent" }

// CustomerView is a customer record with its consent state.
type CustomerView struct {
	Brand      string          `json:"brand"`
	Email      string          `json:"email"`
	Name       string          `json:"name"`
	Language   string          `json:"language"`
	Phone      string          `json:"phone"`
	Address    string          `json:"address"`
	Source     string          `json:"source"`
	VerifiedAt *time.Time      `json:"verified_at"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	Consent    map[string]bool `json:"consent"`
	Tickets    []string        `json:"tickets"`
}

// findCustomers returns the customers with email, in brand when given.
func findCustomers(tx *gorm.DB, email, brand string) ([]Customer, error) {
	q := tx.Where("email = ?", mailbox.NormalizeEmail(email))
	if brand != "" {
		q = q.Where("brand = ?", brand)
	}
	var cs []Customer
	if err := q.Order("brand").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("loading customer: %w", err)
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("customer %s: %w", email, ErrNotFound)
	}
	return cs, nil
}

// consentState is every purpose of the brand with its current value.
func (s *Service) consentState(tx *gorm.DB, c *Customer) (map[string]bool, error) {
	out := map[string]bool{}
	if b, ok := s.cfg.Brand(c.Brand); ok {
		for _, p := range b.Privacy.Purposes() {
			out[p] = true
		}
	} else {
		for _, p := range config.BuiltinPurposes() {
			out[p] = true
		}
	}
	var rows []ConsentRow
	if err := tx.Where("customer_id = ?", c.ID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("loading consent: %w", err)
	}
	for _, r := range rows {
		out[r.Purpose] = r.Allowed
	}
	return out, nil
}

// ShowCustomer returns the customer records with email (one per brand, or
// only brand's) with consent state and ticket references.
func (s *Service) ShowCustomer(ctx context.Context, email, brand string) ([]CustomerView, error) {
	db := s.store.db.WithContext(ctx)
	cs, err := findCustomers(db, email, brand)
	if err != nil {
		return nil, err
	}
	out := make([]CustomerView, 0, len(cs))
	for i := range cs {
		c := &cs[i]
		v := CustomerView{Brand: c.Brand, Email: c.Email, Name: c.Name, Language: c.Language, Phone: c.Phone,
			Address: c.Address, Source: c.Source, VerifiedAt: c.VerifiedAt, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
			Tickets: []string{}}
		if v.Consent, err = s.consentState(db, c); err != nil {
			return nil, err
		}
		if err := db.Model(&Ticket{}).Where("customer_id = ?", c.ID).Order("id").Pluck("ref", &v.Tickets).Error; err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// setConsent writes the purposes' values for c and audits the change.
func (s *Service) setConsent(tx *gorm.DB, c *Customer, changes map[string]bool, actor, ref string) error {
	now := s.now().UTC()
	names := make([]string, 0, len(changes))
	for p := range changes {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		row := ConsentRow{CustomerID: c.ID, Purpose: p, Allowed: changes[p], UpdatedAt: now}
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "customer_id"}, {Name: "purpose"}},
			DoUpdates: clause.AssignmentColumns([]string{"allowed", "updated_at"}),
		}).Create(&row).Error; err != nil {
			return fmt.Errorf("saving consent: %w", err)
		}
	}
	return s.audit(tx, actor, "consent.change", c.Brand, c.Email, ref, map[string]any{"consent": changes})
}

// SetConsent changes a customer's consent flags (purpose -> allowed).
// Unknown purposes are refused.
func (s *Service) SetConsent(ctx context.Context, email, brand string, changes map[string]bool, actor string) ([]CustomerView, error) {
	err := s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cs, err := findCustomers(tx, email, brand)
		if err != nil {
			return err
		}
		for i := range cs {
			c := &cs[i]
			b, ok := s.cfg.Brand(c.Brand)
			if !ok {
				continue
			}
			for p := range changes {
				if !contains(b.Privacy.Purposes(), p) {
					return fmt.Errorf("%w: brand %s has no consent purpose %q (known: %s)", ErrInvalid, c.Brand, p,
						strings.Join(b.Privacy.Purposes(), ", "))
				}
			}
			if err := s.setConsent(tx, c, changes, actor, ""); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ShowCustomer(ctx, email, brand)
}

// withdrawConsent applies a consent-withdrawal request at once: the
// brand's withdrawal purposes are switched off. The acknowledgement still
// goes: it answers the customer's own request.
func (s *Service) withdrawConsent(tx *gorm.DB, brand *config.Brand, t *Ticket) error {
	c := t.Customer
	if c == nil {
		var err error
		if c, err = customerByID(tx, t.CustomerID); err != nil {
			return err
		}
	}
	changes := map[string]bool{}
	for _, p := range brand.Privacy.Withdrawn() {
		changes[p] = false
	}
	return s.setConsent(tx, c, changes, "customer", t.Ref)
}

// CustomerUpdate is an agent's correction; nil fields stay as they are.
type CustomerUpdate struct {
	Name, Email, Phone, Address *string
}

// UpdateCustomer corrects a customer record (one brand). The audit entry
// names the fields that changed, never their values, and no old value is
// kept anywhere.
func (s *Service) UpdateCustomer(ctx context.Context, email, brand string, u CustomerUpdate, actor string) (*CustomerView, []string, error) {
	var changed []string
	var newEmail string
	err := s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		cs, err := findCustomers(tx, email, brand)
		if err != nil {
			return err
		}
		if len(cs) > 1 {
			return fmt.Errorf("%w: %s is a customer of several brands; name one with --brand", ErrInvalid, email)
		}
		c := &cs[0]
		set := map[string]any{}
		field := func(name string, v *string, cur string) {
			if v != nil && clean(strings.TrimSpace(*v)) != cur {
				set[name] = clean(strings.TrimSpace(*v))
				changed = append(changed, name)
			}
		}
		if u.Email != nil {
			e := mailbox.NormalizeEmail(*u.Email)
			if !strings.Contains(e, "@") {
				return fmt.Errorf("%w: %q is not an email address", ErrInvalid, *u.Email)
			}
			u.Email = &e
		}
		field("name", u.Name, c.Name)
		field("email", u.Email, c.Email)
		field("phone", u.Phone, c.Phone)
		field("address", u.Address, c.Address)
		newEmail = c.Email
		if len(set) == 0 {
			return nil
		}
		if e, ok := set["email"].(string); ok {
			var n int64
			if err := tx.Model(&Customer{}).Where("brand = ? AND email = ?", c.Brand, e).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				return fmt.Errorf("%w: brand %s already has a customer %s", ErrInvalid, c.Brand, e)
			}
			newEmail = e
		}
		set["updated_at"] = s.now().UTC()
		if err := tx.Model(c).Updates(set).Error; err != nil {
			return fmt.Errorf("updating customer: %w", err)
		}
		return s.audit(tx, actor, "customer.update", c.Brand, newEmail, "", map[string]any{"fields": changed})
	})
	if err != nil {
		return nil, nil, err
	}
	// The old values must not linger in the WAL or free pages.
	s.store.compact(ctx)
	vs, err := s.ShowCustomer(ctx, newEmail, brand)
	if err != nil {
		return nil, nil, err
	}
	if changed == nil {
		changed = []string{}
	}
	return &vs[0], changed, nil
}

var errBusyCheckpoint = errors.New("checkpoint incomplete: readers hold the WAL")

// compact folds the SQLite WAL into the database file and truncates it,
// so overwritten or deleted data (secure_delete zeroes freed space) does
// not survive in old WAL frames. It retries briefly while readers hold
// old snapshots. PostgreSQL keeps dead tuples until VACUUM (documented).
func (st *Store) compact(ctx context.Context) error {
	if st.driver != "sqlite" {
		return nil
	}
	var last error
	for i := 0; i < 20; i++ {
		var res struct{ Busy, Log, Checkpointed int }
		if err := st.db.WithContext(ctx).Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row().Scan(&res.Busy, &res.Log, &res.Checkpointed); err != nil {
			return fmt.Errorf("checkpointing: %w", err)
		}
		if res.Busy == 0 {
			return nil
		}
		last = errBusyCheckpoint
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return last
}
