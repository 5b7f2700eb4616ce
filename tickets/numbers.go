package tickets

import (
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// nextTicketNumber hands out the brand's next ticket number, starting at
// 1001; the counter row's UPDATE takes its lock, so concurrent
// transactions queue. In a batch transaction (one with a statement cache)
// only the first number comes from the counter row; the rest are counted
// in the cache, and flushTicketNumbers writes the last one back before the
// batch commits. The transaction holds the counter row from that first
// UPDATE to its end (all of SQLite; the row lock on PostgreSQL), so no one
// else can take a number in between, and a rollback discards the batch's
// numbers with its tickets. On SQLite an UPDATE ... RETURNING inside a
// long transaction costs 30-70 us, a plain UPDATE 1.5
// (BenchmarkTicketNumbers); the profile of BenchmarkIngest had it at a
// tenth of the writer's time.
func (s *Service) nextTicketNumber(tx *gorm.DB, brand string) (int64, error) {
	c := stmtCacheOf(tx)
	if c != nil {
		if b := c.numbers[brand]; b != nil {
			b.last++
			return b.last, nil
		}
	}
	n, err := s.takeTicketNumber(tx, brand)
	if err == nil && c != nil {
		c.numbers[brand] = &batchNumbers{stored: n, last: n}
	}
	return n, err
}

func (s *Service) takeTicketNumber(tx *gorm.DB, brand string) (int64, error) {
	var n int64
	err := queryRow(tx, s.store.driver, `UPDATE ticket_counters SET last = last + 1 WHERE brand = ? RETURNING last`, []any{&n}, brand)
	if err == nil {
		return n, nil
	}
	if err != sql.ErrNoRows {
		return 0, fmt.Errorf("numbering ticket: %w", err)
	}
	if err := execSQL(tx, s.store.driver, `INSERT INTO ticket_counters (brand, last) VALUES (?, 1001)`, brand); err != nil {
		return 0, fmt.Errorf("numbering ticket: %w", err)
	}
	return 1001, nil
}

// abandonTicket deletes a ticket this transaction just opened and gives
// its number back, so numbers stay gapless. Only the last number taken can
// go back; the transaction still holds the counter, so it is the last.
func (s *Service) abandonTicket(tx *gorm.DB, t *Ticket) error {
	if err := execSQL(tx, s.store.driver, `DELETE FROM tickets WHERE id = ?`, t.ID); err != nil {
		return fmt.Errorf("removing ticket %s: %w", t.Ref, err)
	}
	if c := stmtCacheOf(tx); c != nil {
		if b := c.numbers[t.Brand]; b != nil && b.last == t.Number {
			b.last--
			return nil
		}
	}
	if err := execSQL(tx, s.store.driver, `UPDATE ticket_counters SET last = last - 1 WHERE brand = ? AND last = ?`,
		t.Brand, t.Number); err != nil {
		return fmt.Errorf("giving back ticket number %s: %w", t.Ref, err)
	}
	return nil
}

// flushTicketNumbers writes the numbers a batch transaction counted (see
// nextTicketNumber) back to the counter rows. It must run before commit.
func (s *Service) flushTicketNumbers(tx *gorm.DB) error {
	c := stmtCacheOf(tx)
	if c == nil {
		return nil
	}
	for brand, b := range c.numbers {
		if b.last == b.stored {
			continue
		}
		if err := execSQL(tx, s.store.driver, `UPDATE ticket_counters SET last = ? WHERE brand = ?`, b.last, brand); err != nil {
			return fmt.Errorf("saving ticket numbers of %s: %w", brand, err)
		}
		b.stored = b.last
	}
	return nil
}
