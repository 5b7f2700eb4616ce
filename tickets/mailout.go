package tickets

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"helpdesk/config"
	"helpdesk/mailbox"
	"helpdesk/mailbox/smtpsend"
	"helpdesk/templates"
	"helpdesk/tickets/calendar"
)

func loadTemplates(cfg *config.Config) (map[string]*templates.Set, error) {
	out := map[string]*templates.Set{}
	byDir := map[string]*templates.Set{}
	for _, b := range cfg.Brands {
		if set := byDir[b.Templates]; set != nil {
			out[b.ID] = set
			continue
		}
		set, err := templates.Load(b.Templates)
		if err != nil {
			return nil, fmt.Errorf("brand %s templates: %w", b.ID, err)
		}
		byDir[b.Templates] = set
		out[b.ID] = set
	}
	return out, nil
}

// Templates returns the template set a brand renders with.
func (s *Service) Templates(brand string) *templates.Set { return s.templates[brand] }

// TemplateBrand is what the templates know of a brand: names, addresses
// and the service hours worded from its calendar. The returned
// ServiceHoursByLang is shared: read it, never write it.
func (s *Service) TemplateBrand(b *config.Brand) templates.Brand {
	tb := templates.Brand{ID: b.ID, Name: b.Name, Address: b.Address, PrivacyContact: b.PrivacyContact,
		DefaultLanguage: b.Language}
	cal := s.Calendar(b.ID)
	if cal == nil {
		tb.ServiceHoursByLang = map[string]string{}
		return tb
	}
	// The zone label follows daylight saving where the calendar's zone
	// has it, so it is part of the key.
	zone := calendar.OffsetLabel(s.now().In(cal.Location()))
	key := b.ID + "\x00" + zone
	hours, ok := s.serviceHours.Load(key)
	if !ok {
		hours = wordServiceHours(cal, zone)
		s.serviceHours.Store(key, hours)
	}
	tb.ServiceHoursByLang = hours.(map[string]string)
	tb.ServiceHours = tb.ServiceHoursByLang["en"]
	return tb
}

// wordServiceHours words cal's opening hours in every language the
// templates know, with zone as the zone label.
func wordServiceHours(cal *calendar.Calendar, zone string) map[string]string {
	week := map[time.Weekday]string{}
	days := map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
		"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}
	for k, v := range cal.Spec().Hours {
		if d, ok := days[strings.ToLower(k)]; ok && v != "closed" {
			week[d] = strings.ReplaceAll(v, ",", ", ")
		}
	}
	byLang := map[string]string{}
	for _, lang := range []string{"en", "zh", "de", "es", "fr", "it", "ja"} {
		byLang[lang] = templates.FormatServiceHours(week, zone, lang, true)
	}
	return byLang
}

// ticketData fills the template data every ticket mail shares.
func (s *Service) ticketData(b *config.Brand, t *Ticket, cust *Customer) templates.Data {
	d := templates.Data{Brand: s.TemplateBrand(b), TicketRef: t.Ref, Subject: t.Subject,
		Category: t.Category, RightsType: t.RightsType}
	if cust != nil {
		d.CustomerName, d.CustomerEmail = cust.Name, cust.Email
	}
	return d
}

// replyLanguage is the customer's language when known, else the ticket's.
func replyLanguage(t *Ticket, cust *Customer) string {
	if cust != nil && cust.Language != "" {
		return cust.Language
	}
	return t.Language
}

// ackRefPlaceholder stands for the ticket reference in an acknowledgement
// rendered before the reference is known (see prerenderAck).
const ackRefPlaceholder = "ZQXREFPLACEHOLDERZQX"

// preAck is an acknowledgement rendered by a parse worker, off the
// writer's critical path, for the ticket the message would open. key says
// what it assumed; the writer uses it only when the real ticket matches.
type preAck struct {
	r   templates.Rendered
	key string
}

func ackKey(t *Ticket) string {
	name := ""
	if t.Customer != nil {
		name = t.Customer.Name
	}
	return fmt.Sprint(name, "|", t.Language, "|", t.Category, "|", t.RightsType, "|", t.Status, "|",
		t.FirstResponseDue, "|", t.ResolutionDue)
}

// ackData fills the acknowledgement's template data: the promise it makes
// is the resolution deadline for a rights request, the first response
// otherwise.
func (s *Service) ackData(b *config.Brand, t *Ticket) templates.Data {
	d := s.ticketData(b, t, t.Customer)
	p := s.policies[b.ID]
	switch {
	case t.Category == "rights" && t.ResolutionDue != nil:
		d.Due, d.DueKind = t.ResolutionDue.In(p.cal.Location()), "resolution"
		if target := p.resolutionTarget(t.Category, t.RightsType); target.Unit() == calendar.BusinessDays {
			d.BusinessDays = int(p.cal.BusinessTime(target) / p.cal.DayLength())
		}
	case t.FirstResponseDue != nil:
		d.Due, d.DueKind = t.FirstResponseDue.In(p.cal.Location()), "first_response"
	}
	return d
}

// prerenderAck renders, in a parse worker, the acknowledgement of the
// ticket m would open at now.
func (s *Service) prerenderAck(b *config.Brand, m *mailbox.Message, c Classification, now time.Time) *preAck {
	t := &Ticket{Brand: b.ID, Ref: ackRefPlaceholder, Subject: clean(m.Subject), Category: c.Category,
		RightsType: c.RightsType, Language: c.Language, Status: StatusOpen,
		Customer: &Customer{Name: clean(m.From.Name), Email: mailbox.NormalizeEmail(m.From.Email)}}
	s.StartClock(t, now)
	r, err := s.templates[b.ID].Render(templates.AckName(t.Category, t.RightsType), t.Language, s.ackData(b, t))
	if err != nil {
		return nil
	}
	return &preAck{r: r, key: ackKey(t)}
}

// acknowledge queues the acknowledgement of a new ticket: what happens next
// and by when, in the customer's language, threaded under their mail.
func (s *Service) acknowledge(tx *gorm.DB, b *config.Brand, t *Ticket, m *mailbox.Message, pre *preAck) error {
	g, err := s.startAck(b, t, m, pre, false)
	if err != nil {
		return err
	}
	_, err = s.queue(tx, g)
	return err
}

// startAck builds the acknowledgement of the new ticket t, for queue to
// store. With background, its MIME rendering starts on another goroutine:
// the ingest writer, the pipeline's critical path, stores the customer's
// message meanwhile, and the rendering (40-60 us, an eighth of the
// writer's time per message) no longer adds to it.
func (s *Service) startAck(b *config.Brand, t *Ticket, m *mailbox.Message, pre *preAck, background bool) (*outgoingMail, error) {
	var r templates.Rendered
	if pre != nil && pre.key == ackKey(t) {
		r = pre.r
		r.Subject = strings.ReplaceAll(r.Subject, ackRefPlaceholder, t.Ref)
		r.Text = strings.ReplaceAll(r.Text, ackRefPlaceholder, t.Ref)
		r.HTML = strings.ReplaceAll(r.HTML, ackRefPlaceholder, t.Ref)
	} else {
		var err error
		r, err = s.templates[b.ID].Render(templates.AckName(t.Category, t.RightsType), t.Language, s.ackData(b, t))
		if err != nil {
			return nil, fmt.Errorf("rendering acknowledgement: %w", err)
		}
	}
	g := s.newOutgoingMail(Outgoing{
		Brand: b, Ticket: t, Kind: "ack", Automatic: true, To: replyAddress(m),
		Subject: r.Subject, Text: r.Text, HTML: r.HTML, AutoSubmitted: smtpsend.AutoReplied,
		InReplyTo: m.MessageID, References: threadRefs(m.References, m.MessageID),
	})
	if background {
		g.startRender()
	}
	return g, nil
}

// replyAddress is where an answer to m goes: Reply-To when set, else From.
func replyAddress(m *mailbox.Message) mailbox.Address {
	if len(m.ReplyTo) > 0 && m.ReplyTo[0].Email != "" {
		return m.ReplyTo[0]
	}
	return m.From
}

func threadRefs(refs []string, id string) []string {
	out := append([]string(nil), refs...)
	if id != "" {
		out = append(out, id)
	}
	return out
}

// PreviewTemplate renders a template as a customer would receive it: with
// the ticket's data when ref is given, else with sample data, in the
// brand's look.
func (s *Service) PreviewTemplate(ctx context.Context, brandID, name, lang, ref string) (templates.Rendered, error) {
	b, ok := s.cfg.Brand(brandID)
	if !ok {
		return templates.Rendered{}, fmt.Errorf("%w: unknown brand %q", ErrInvalid, brandID)
	}
	set := s.templates[b.ID]
	if !set.Has(name) {
		return templates.Rendered{}, fmt.Errorf("%w: no template named %q", ErrInvalid, name)
	}
	d := templates.SampleData(name, lang)
	d.Brand = s.TemplateBrand(b)
	if ref != "" {
		t, err := s.ticketByRef(ctx, ref)
		if err != nil {
			return templates.Rendered{}, err
		}
		td := s.ticketData(b, t, t.Customer)
		td.Body, td.Code, td.CodeExpires, td.VerifyURL, td.Notice = d.Body, d.Code, d.CodeExpires, d.VerifyURL, d.Notice
		if t.ResolutionDue != nil {
			td.Due = t.ResolutionDue.In(s.location(b.ID))
		}
		d = td
		if lang == "" {
			lang = replyLanguage(t, t.Customer)
		}
	}
	if lang == "" {
		lang = b.Language
	}
	return set.Render(name, lang, d)
}
