package templates

import (
	"html/template"
	"strings"
	"time"
)

// sampleZone is the shops' fixed UTC+8 offset, so sample output does not
// depend on the machine's time-zone database.
func sampleZone() *time.Location { return time.FixedZone("UTC+8", 8*3600) }

// SampleBrand is the brand used by SampleData: a fictional shop with the
// service hours worded for every shipped language.
func SampleBrand() Brand {
	week := map[time.Weekday]string{
		time.Monday: "09:00-18:00", time.Tuesday: "09:00-18:00", time.Wednesday: "09:00-18:00",
		time.Thursday: "09:00-18:00", time.Friday: "09:00-18:00",
	}
	byLang := map[string]string{}
	for _, l := range []string{"en", "zh", "de", "fr", "es", "it", "ja"} {
		byLang[l] = FormatServiceHours(week, "UTC+8", l, true)
	}
	return Brand{
		ID:                 "example",
		Name:               "Example Home",
		Address:            "service@shop.example",
		PrivacyContact:     "privacy@shop.example",
		ServiceHours:       byLang["en"],
		ServiceHoursByLang: byLang,
		DefaultLanguage:    "en",
	}
}

// SampleData returns realistic data for the named template in lang: the
// data Load renders every template with, and what Preview uses when given
// none. Every field a shipped template reads is set, so a template that
// renders here will render at send time.
func SampleData(name, lang string) Data {
	lang = NormalizeLang(lang)
	z := sampleZone()
	d := Data{
		Brand:         SampleBrand(),
		Lang:          lang,
		TicketRef:     "XY-1042",
		CustomerName:  sampleCustomer(lang),
		CustomerEmail: "customer@mail.example",
		Category:      "other",
		Due:           time.Date(2026, 11, 25, 18, 0, 0, 0, z), // a Wednesday
		DueKind:       "first_response",
		Subject:       "Re: Question about my order",
		TicketURL:     "http://127.0.0.1:8025/tickets/XY-1042",
	}
	switch {
	case name == "ack.product":
		d.Category, d.Subject = "product", "Silicone pot lid mat: is it dishwasher safe?"
	case name == "ack.logistics":
		d.Category, d.Subject = "logistics", "Where is my order #10057?"
	case strings.HasPrefix(name, "ack.rights."):
		d.Category = "rights"
		d.RightsType = strings.TrimPrefix(name, "ack.rights.")
		d.Subject = "Request about my personal information"
		d.BusinessDays = map[string]int{"access": 2, "correction": 2, "deletion": 7, "complaint": 5}[d.RightsType]
	case name == "verify":
		d.Category, d.RightsType = "rights", "access"
		d.Subject = "Please send me a copy of my data"
		d.Code = "482913"
		d.CodeExpires = time.Date(2026, 11, 23, 10, 30, 0, 0, z)
		d.VerifyURL = "https://shop.example/verify?t=3f9a7c"
	case name == "reply" || name == "resolved":
		d.Category = "logistics"
		d.Subject = "Re: [XY-1042] Where is my order #10057?"
		d.Body, d.Quoted = sampleReply(name, lang)
	case name == "notice":
		d.TicketRef, d.Subject, d.Due = "", "", time.Time{}
		d.Notice = Notice{
			Title:          sampleNoticeTitle(lang),
			Effective:      time.Date(2026, 12, 25, 0, 0, 0, 0, z),
			UnsubscribeURL: "https://shop.example/unsubscribe?c=8d21",
		}
		d.Body = sampleNoticeBody(lang)
		d.BodyHTML = template.HTML("<p>" + template.HTMLEscapeString(d.Body) + "</p>")
	case strings.HasPrefix(name, "agent."):
		d.Category, d.Subject = "logistics", "Where is my order #10057?"
		if name == "agent.sla_breach" {
			d.DueKind = "resolution"
		}
	}
	return d
}

func sampleCustomer(lang string) string {
	switch lang {
	case "zh":
		return "王芳"
	case "ja":
		return "佐藤 花子"
	case "de":
		return "Jana Becker"
	case "fr":
		return "Camille Martin"
	case "es":
		return "Lucía García"
	case "it":
		return "Giulia Rossi"
	}
	return "Alex Morgan"
}

func sampleReply(name, lang string) (body, quoted string) {
	if lang == "zh" {
		if name == "resolved" {
			return "您的包裹已于11月24日签收。", "我的订单 #10057 什么时候能到？"
		}
		return "您好，\n\n您的订单 #10057 已于11月20日发出，物流单号为 SF1234567890。预计12至15个工作日送达。\n\n如有其他问题，欢迎随时联系我们。",
			"我的订单 #10057 什么时候能到？\n谢谢！"
	}
	if name == "resolved" {
		return "Your parcel was delivered on 24 November.", "When will order #10057 arrive?"
	}
	return "Hello Alex,\n\nYour order #10057 left our warehouse on 20 November; the tracking number is SF1234567890. Delivery usually takes 12-15 business days.\n\nLet us know if there is anything else we can do.",
		"When will order #10057 arrive?\nThanks!"
}

func sampleNoticeTitle(lang string) string {
	switch lang {
	case "zh":
		return "隐私政策更新"
	case "de":
		return "Aktualisierung unserer Datenschutzerklärung"
	case "fr":
		return "Mise à jour de notre politique de confidentialité"
	case "es":
		return "Actualización de nuestra política de privacidad"
	case "it":
		return "Aggiornamento della nostra informativa sulla privacy"
	case "ja":
		return "プライバシーポリシー改定のお知らせ"
	}
	return "Update to our privacy policy"
}

func sampleNoticeBody(lang string) string {
	switch lang {
	case "zh":
		return "我们更新了物流合作方名单，并明确了收货信息的保存期限。"
	case "de":
		return "Wir haben die Liste unserer Versandpartner aktualisiert und die Speicherdauer für Lieferadressen präzisiert."
	case "fr":
		return "Nous avons mis à jour la liste de nos transporteurs et précisé la durée de conservation des adresses de livraison."
	case "es":
		return "Hemos actualizado la lista de nuestras empresas de transporte y precisado el plazo de conservación de las direcciones de envío."
	case "it":
		return "Abbiamo aggiornato l'elenco dei nostri corrieri e precisato per quanto tempo conserviamo gli indirizzi di consegna."
	case "ja":
		return "配送業者の一覧を更新し、お届け先情報の保存期間を明確にしました。"
	}
	return "We have updated the list of our delivery partners and clarified how long we keep shipping addresses."
}
