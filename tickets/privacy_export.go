package tickets

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"gorm.io/gorm"

	"helpdesk/mailbox"
)

// Access (issue 6, item 2): ExportCustomer writes everything the helpdesk
// holds about a person as a zip: index.json (customer records, consent,
// tickets with their messages, outgoing mail, notices sent, audit
// entries), every message's raw mail as messages/<id>.eml, and every
// attachment under attachments/<message id>/<n>-<filename>.

// ExportFormat names the bundle layout in index.json.
const ExportFormat = "helpdesk-export/1"

// ExportIndex is index.json.
type ExportIndex struct {
	Format      string           `json:"format"`
	GeneratedAt time.Time        `json:"generated_at"`
	Email       string           `json:"email"`
	Customers   []CustomerView   `json:"customers"`
	Tickets     []ExportTicket   `json:"tickets"`
	OtherMail   []ExportMessage  `json:"other_mail"` // their mail on no ticket of theirs
	Outbox      []ExportOutbox   `json:"outbox"`
	Notices     []map[string]any `json:"notices"`
	Audit       []AuditEntry     `json:"audit"`
	Files       []string         `json:"files"`
}

// ExportTicket is one ticket with its messages.
type ExportTicket struct {
	TicketView
	Priority string          `json:"priority"`
	Mail     []ExportMessage `json:"mail"`
}

// ExportMessage is one message with pointers to its files.
type ExportMessage struct {
	MessageView
	RawFile         string   `json:"raw_file,omitempty"`
	AttachmentFiles []string `json:"attachment_files,omitempty"`
}

// ExportOutbox is one outgoing mail's delivery record.
type ExportOutbox struct {
	Brand     string     `json:"brand"`
	Kind      string     `json:"kind"`
	MessageID string     `json:"message_id"`
	Subject   string     `json:"subject"`
	Status    string     `json:"status"`
	SentAt    *time.Time `json:"sent_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// ExportCustomer writes the bundle for email (in brand, or every brand)
// to w and records the export in the audit log.
func (s *Service) ExportCustomer(ctx context.Context, email, brand, actor string, w io.Writer) (*ExportIndex, error) {
	email = mailbox.NormalizeEmail(email)
	db := s.store.db.WithContext(ctx)
	views, err := s.ShowCustomer(ctx, email, brand)
	if err != nil {
		return nil, err
	}
	idx := &ExportIndex{Format: ExportFormat, GeneratedAt: s.now().UTC(), Email: email, Customers: views,
		Tickets: []ExportTicket{}, OtherMail: []ExportMessage{}, Outbox: []ExportOutbox{}, Notices: []map[string]any{}}
	zw := zip.NewWriter(w)
	seen := map[int64]bool{}
	for _, v := range views {
		for _, ref := range v.Tickets {
			t, err := s.ticketByRef(ctx, ref)
			if err != nil {
				return nil, err
			}
			et := ExportTicket{TicketView: s.view(t), Priority: t.Priority}
			var msgs []Message
			if err := db.Where("ticket_id = ?", t.ID).Order("id").Find(&msgs).Error; err != nil {
				return nil, err
			}
			for i := range msgs {
				seen[msgs[i].ID] = true
				em, err := s.exportMessage(db, zw, &msgs[i], idx)
				if err != nil {
					return nil, err
				}
				et.Mail = append(et.Mail, em)
			}
			idx.Tickets = append(idx.Tickets, et)
		}
	}
	// Their mail elsewhere: on no ticket, or copied on someone's ticket.
	like := "%" + email + "%"
	var others []Message
	q := db.Where("from_email = ? OR LOWER(to_addrs) LIKE ? OR LOWER(cc_addrs) LIKE ?", email, like, like)
	if brand != "" {
		q = q.Where("brand = ?", brand)
	}
	if err := q.Order("id").Find(&others).Error; err != nil {
		return nil, err
	}
	for i := range others {
		if seen[others[i].ID] {
			continue
		}
		em, err := s.exportMessage(db, zw, &others[i], idx)
		if err != nil {
			return nil, err
		}
		idx.OtherMail = append(idx.OtherMail, em)
	}
	oq := db.Model(&OutboxRow{}).Where("rcpt = ?", email)
	if brand != "" {
		oq = oq.Where("brand = ?", brand)
	}
	var obs []OutboxRow
	if err := oq.Order("id").Find(&obs).Error; err != nil {
		return nil, err
	}
	for _, o := range obs {
		idx.Outbox = append(idx.Outbox, ExportOutbox{Brand: o.Brand, Kind: o.Kind, MessageID: o.MessageID,
			Subject: o.Subject, Status: o.Status, SentAt: o.SentAt, CreatedAt: o.CreatedAt})
	}
	if db.Migrator().HasTable("notice_recipients") {
		nq := db.Table("notice_recipients AS r").
			Select("r.brand, r.notice_id, n.title, n.effective_date, n.core_rights, r.status, r.message_id, r.sent_at, r.unsubscribed_at").
			Joins("LEFT JOIN notices n ON n.id = r.notice_id").Where("r.email = ?", email)
		if brand != "" {
			nq = nq.Where("r.brand = ?", brand)
		}
		if err := nq.Order("r.id").Scan(&idx.Notices).Error; err != nil {
			return nil, fmt.Errorf("loading notices sent: %w", err)
		}
	}
	if idx.Audit, err = s.AuditList(ctx, AuditFilter{Customer: email}); err != nil {
		return nil, err
	}
	idx.Files = append(idx.Files, "index.json")
	f, err := zw.Create("index.json")
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(idx); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("writing export: %w", err)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		for _, v := range views {
			if err := s.audit(tx, actor, "customer.export", v.Brand, email, "", map[string]any{
				"tickets": len(v.Tickets), "files": len(idx.Files)}); err != nil {
				return err
			}
		}
		return nil
	})
	return idx, err
}

func (s *Service) exportMessage(db *gorm.DB, zw *zip.Writer, m *Message, idx *ExportIndex) (ExportMessage, error) {
	em := ExportMessage{MessageView: MessageView{Direction: m.Direction, MessageID: m.MessageID, From: m.FromEmail,
		To: emails(m.ToAddrs), Cc: emails(m.CcAddrs), Date: m.Date, Subject: m.Subject, Text: m.Text,
		NewText: m.FullNewText(), Automated: m.Automated}}
	if m.RawID != nil {
		raw, err := loadRaw(db, *m.RawID)
		if err != nil {
			return em, fmt.Errorf("loading raw mail: %w", err)
		}
		name := fmt.Sprintf("messages/%d.eml", m.ID)
		if err := zipFile(zw, name, raw); err != nil {
			return em, err
		}
		em.RawFile = name
		idx.Files = append(idx.Files, name)
	}
	var atts []Attachment
	if err := db.Where("message_id = ?", m.ID).Order("id").Find(&atts).Error; err != nil {
		return em, err
	}
	for i, a := range atts {
		em.Attachments = append(em.Attachments, AttachmentView{a.Filename, a.ContentType, a.Size})
		name := fmt.Sprintf("attachments/%d/%d-%s", m.ID, i+1, safeName(a.Filename))
		content, err := s.AttachmentContent(db, &atts[i])
		if err != nil {
			return em, err
		}
		if err := zipFile(zw, name, content); err != nil {
			return em, err
		}
		em.AttachmentFiles = append(em.AttachmentFiles, name)
		idx.Files = append(idx.Files, name)
	}
	return em, nil
}

func zipFile(zw *zip.Writer, name string, data []byte) error {
	f, err := zw.Create(name)
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	_, err = f.Write(data)
	return err
}

// safeName keeps a stored filename from escaping its folder in the zip.
func safeName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '/' || r == ':' {
			return '_'
		}
		return r
	}, name)
	if name == "." || name == ".." || name == "/" || name == "" {
		name = "attachment"
	}
	return name
}
