package tickets

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"helpdesk/mailbox"
	"helpdesk/templates"
)

// ImportProblem is one CSV row the import did not take as written.
type ImportProblem struct {
	Line    int    `json:"line"` // 1 is the header
	Email   string `json:"email,omitempty"`
	Reason  string `json:"reason"`
	Skipped bool   `json:"skipped"` // true: a valid row left out on purpose (duplicate, erased); false: a bad row
}

// ImportResult summarizes a customers import.
type ImportResult struct {
	Rows     int             `json:"rows"`     // data rows read
	Created  int             `json:"created"`  // new customers
	Updated  int             `json:"updated"`  // existing customers whose empty name or language was filled
	Existing int             `json:"existing"` // existing customers left as they were
	Problems []ImportProblem `json:"problems"`
}

// Bad counts the invalid rows (not the skipped ones).
func (r *ImportResult) Bad() int {
	n := 0
	for _, p := range r.Problems {
		if !p.Skipped {
			n++
		}
	}
	return n
}

type importRow struct {
	line                         int
	email, name, language, brand string
}

const importBatch = 500

// ImportCustomers reads a CSV with the columns email,name,language,brand
// (a header row names them, in any order) and adds each valid row as a
// customer with source "import". A row whose customer exists fills the
// customer's name and language only where they are empty. Invalid rows are
// reported by line number and the rest are kept; duplicates within the
// file and addresses on the brand's erasure list are skipped with their
// reason. Rows are committed in batches, so a huge file never sits in
// memory and a running daemon is never blocked for long.
func (s *Service) ImportCustomers(ctx context.Context, r io.Reader) (*ImportResult, error) {
	res := &ImportResult{Problems: []ImportProblem{}}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		return res, fmt.Errorf("%w: reading the CSV header: %v", ErrInvalid, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, want := range []string{"email", "name", "language", "brand"} {
		if _, ok := col[want]; !ok {
			return res, fmt.Errorf("%w: the CSV header lacks the %q column (want email,name,language,brand)", ErrInvalid, want)
		}
	}
	seen := map[string]int{} // brand + email -> first line
	var batch []importRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return res, fmt.Errorf("reading the CSV: %w", err)
			}
			res.Rows++
			res.Problems = append(res.Problems, ImportProblem{Line: pe.StartLine, Reason: "malformed CSV: " + pe.Err.Error()})
			continue
		}
		res.Rows++
		// FieldPos is only valid for a record Read returned without error.
		line, _ := cr.FieldPos(0)
		row, problem := s.importRowOf(rec, col, line)
		if problem != "" {
			res.Problems = append(res.Problems, ImportProblem{Line: line, Email: row.email, Reason: problem})
			continue
		}
		key := row.brand + "\x00" + row.email
		if first, dup := seen[key]; dup {
			res.Problems = append(res.Problems, ImportProblem{Line: line, Email: row.email, Skipped: true,
				Reason: fmt.Sprintf("duplicate of line %d (the first one is kept)", first)})
			continue
		}
		seen[key] = line
		batch = append(batch, row)
		if len(batch) == importBatch {
			if err := s.importBatch(ctx, batch, res); err != nil {
				return res, err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		if err := s.importBatch(ctx, batch, res); err != nil {
			return res, err
		}
	}
	return res, nil
}

func field(rec []string, col map[string]int, name string) string {
	if i := col[name]; i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

// importRowOf validates one record and says what is wrong with it.
func (s *Service) importRowOf(rec []string, col map[string]int, line int) (importRow, string) {
	row := importRow{line: line, email: field(rec, col, "email"), name: clean(field(rec, col, "name")),
		language: field(rec, col, "language"), brand: field(rec, col, "brand")}
	if row.email == "" {
		return row, "email is empty"
	}
	addr, err := mail.ParseAddress(row.email)
	if err != nil || addr.Address != row.email || !strings.Contains(addr.Address, "@") {
		return row, fmt.Sprintf("email %q is not a valid address", row.email)
	}
	row.email = mailbox.NormalizeEmail(addr.Address)
	if row.brand == "" {
		return row, "brand is empty"
	}
	if _, ok := s.cfg.Brand(row.brand); !ok {
		return row, fmt.Sprintf("brand %q is not configured", row.brand)
	}
	if row.language != "" {
		l := templates.NormalizeLang(row.language)
		if l == "" {
			return row, fmt.Sprintf("language %q is not a language tag (such as en or zh-CN)", row.language)
		}
		row.language = l
	}
	if len(row.name) > 200 {
		return row, "name is longer than 200 characters"
	}
	if strings.ContainsAny(row.name, "\r\n") {
		return row, "name spans several lines"
	}
	return row, ""
}

// importBatch stores one batch in one transaction.
func (s *Service) importBatch(ctx context.Context, rows []importRow, res *ImportResult) error {
	return s.store.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		byBrand := map[string][]string{}
		for _, r := range rows {
			byBrand[r.brand] = append(byBrand[r.brand], r.email)
		}
		existing := map[string]*Customer{}
		for brand, emails := range byBrand {
			var cs []*Customer
			if err := tx.Where("brand = ? AND email IN ?", brand, emails).Find(&cs).Error; err != nil {
				return fmt.Errorf("loading existing customers: %w", err)
			}
			for _, c := range cs {
				existing[c.Brand+"\x00"+c.Email] = c
			}
		}
		now := s.now().UTC()
		var create []*Customer
		for _, r := range rows {
			erased, err := s.isErased(tx, r.brand, r.email)
			if err != nil {
				return err
			}
			if erased {
				res.Problems = append(res.Problems, ImportProblem{Line: r.line, Email: r.email, Skipped: true,
					Reason: "this customer's data was erased at their request; the import does not re-create them"})
				continue
			}
			c := existing[r.brand+"\x00"+r.email]
			if c == nil {
				create = append(create, &Customer{Brand: r.brand, Email: r.email, Name: r.name, Language: r.language,
					Source: "import", CreatedAt: now, UpdatedAt: now})
				continue
			}
			upd := map[string]any{}
			if c.Name == "" && r.name != "" {
				upd["name"] = r.name
			}
			if c.Language == "" && r.language != "" {
				upd["language"] = r.language
			}
			if len(upd) == 0 {
				res.Existing++
				continue
			}
			upd["updated_at"] = now
			if err := tx.Model(&Customer{}).Where("id = ?", c.ID).Updates(upd).Error; err != nil {
				return fmt.Errorf("updating customer on line %d: %w", r.line, err)
			}
			res.Updated++
		}
		if len(create) == 0 {
			return nil
		}
		// A customer whose first mail the daemon stores meanwhile wins;
		// the import then leaves that row alone.
		q := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "brand"}, {Name: "email"}}, DoNothing: true}).
			CreateInBatches(create, 200)
		if q.Error != nil {
			return fmt.Errorf("creating customers: %w", q.Error)
		}
		res.Created += int(q.RowsAffected)
		res.Existing += len(create) - int(q.RowsAffected)
		return nil
	})
}
