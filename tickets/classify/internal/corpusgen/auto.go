//go:build corpusgen

package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

type autoText struct {
	lang, variant string
	subj          string // %s = original subject
	body          string
}

var oooTexts = []autoText{
	{"en", "en", "Automatic reply: %s", "Hello,\n\nThank you for your email. I am out of the office until Monday 16 March with limited access to email. For urgent matters please contact my colleague at office@kestrel-trading.example.\n\nBest regards,\nMark"},
	{"en", "en", "Out of Office: %s", "I'm currently on annual leave and will return on 2 February. Your message will not be forwarded. I'll reply as soon as I can after I'm back."},
	{"en", "en", "Auto-Reply: %s", "Thanks for reaching out! I'm travelling this week and checking email only occasionally. If your message is about an order, please include the order number and I'll get back to you."},
	{"en", "en", "Away: %s", "I am away on maternity leave until further notice. Please direct any questions to the team mailbox."},
	{"en", "en", "Automatic reply: %s", "This mailbox is not monitored over the weekend. We have received your message and will respond on the next working day."},
	{"en", "en", "Out of office - back 4 March", "I'm out of the office at a trade show with no access to email. Back on 4 March."},
	{"zh", "zh-hans", "自动回复：%s", "您好，我正在休假，1月28日返回。期间不能及时回复邮件，紧急事务请致电同事。谢谢！"},
	{"zh", "zh-hans", "自动回复: %s", "这是一封自动回复邮件。您的来信已收到，我会尽快处理。"},
	{"zh", "zh-hans", "【自动回复】%s", "春节放假期间（2月14日至2月22日）暂停办公，邮件将于节后统一处理，感谢您的理解。"},
	{"zh", "zh-hant", "自動回覆：%s", "您好，我目前休假中，將於3月2日回到辦公室，屆時會盡快回覆您的來信。"},
	{"de", "de", "Abwesenheitsnotiz: %s", "Vielen Dank für Ihre Nachricht. Ich bin bis einschließlich 20.02. nicht im Büro und habe keinen Zugriff auf meine E-Mails. In dringenden Fällen wenden Sie sich bitte an meine Kollegin."},
	{"de", "de", "Automatische Antwort: %s", "Ich bin derzeit im Urlaub und ab dem 9. März wieder erreichbar. Ihre E-Mail wird nicht weitergeleitet."},
	{"de", "de", "Abwesend: %s", "Ich bin auf Dienstreise und lese meine E-Mails nur unregelmäßig."},
	{"fr", "fr", "Réponse automatique : %s", "Bonjour,\nJe suis absente du bureau jusqu'au 10 mars. Votre message ne sera pas transféré. Pour toute urgence, merci de contacter l'accueil.\nCordialement"},
	{"fr", "fr", "Absence du bureau : %s", "Je suis en congés jusqu'au 3 février et je traiterai votre message à mon retour."},
	{"es", "es", "Respuesta automática: %s", "Gracias por su mensaje. Estoy fuera de la oficina hasta el 12 de marzo sin acceso al correo. Para asuntos urgentes, escriba a info@empresa.example."},
	{"es", "es", "Fuera de la oficina: %s", "Estoy de vacaciones y volveré el lunes 2 de febrero. Responderé a su correo lo antes posible."},
	{"it", "it", "Risposta automatica: %s", "Grazie per il messaggio. Sono fuori ufficio fino al 15 febbraio con accesso limitato alla posta. Per urgenze contattare il centralino."},
	{"ja", "ja", "自動応答: %s", "お問い合わせありがとうございます。ただいま出張中のため、2月20日以降に順次ご返信いたします。"},
	{"ja", "ja", "不在通知：%s", "誠に勝手ながら、年末年始休業のため1月5日までメールの確認ができません。休業明けに対応いたします。"},
}

var ourSubjects = []string{
	"[XY-1042] We received your message", "[HG-1187] Your order has shipped", "[XY-1311] Your data deletion request",
	"[HG-1020] Re: Where is my parcel?", "[XY-1205] Please verify your identity", "[HG-1433] Policy update: privacy policy changes",
	"[XY-1099] 我们已收到您的邮件", "[HG-1250] Your access request",
}

func autoBase(r *rand.Rand, base time.Time, variant, lang string) *email {
	when := base.Add(time.Duration(r.IntN(80*24*60)) * time.Minute)
	to := xiyueAddr
	dom := "xiyue.example"
	if chance(r, 0.5) {
		to, dom = houseAddr, "mail.ximorent.com"
	}
	_ = dom
	return &email{
		file:  variant,
		to:    to,
		date:  when,
		msgID: fmt.Sprintf("%x.auto.%d@mx.example.net", r.Uint64(), when.Unix()),
		label: labelLine{Category: "other", Automated: true, Language: lang},
	}
}

func genAutomated(r *rand.Rand, base time.Time) []*email {
	var out []*email

	// Out-of-office and other auto-replies (RFC 3834 and vendor headers).
	oooHeaders := [][][2]string{
		{{"Auto-Submitted", "auto-replied"}},
		{{"Auto-Submitted", "auto-replied"}, {"X-Auto-Response-Suppress", "All"}},
		{{"X-Autoreply", "yes"}},
		{{"Auto-Submitted", "auto-replied (vacation)"}, {"X-Autorespond", "yes"}},
		{{"Precedence", "auto_reply"}, {"X-Autoreply", "yes"}},
	}
	senders := []string{"Mark Jensen <mark@kestrel-trading.example>", "李娜 <lina@163.com>", "Petra Vogel <p.vogel@gmx.de>",
		"Claire Fontaine <claire@orange.fr>", "Ana Ruiz <ana.ruiz@hotmail.es>", "Paolo Neri <pneri@libero.it>", "山本 花子 <hanako@yahoo.co.jp>",
		"陳小姐 <miss.chen@gmail.com>"}
	for _, t := range oooTexts {
		m := autoBase(r, base, t.variant, t.lang)
		m.from = pick(r, senders)
		m.subject = t.subj
		if strings.Contains(t.subj, "%s") {
			m.subject = fmt.Sprintf(t.subj, pick(r, ourSubjects))
		}
		m.inReplyTo = fmt.Sprintf("%x@xiyue.example", r.Uint64())
		m.headers = oooHeaders[r.IntN(len(oooHeaders))]
		m.text = t.body + "\n"
		m.form = pick(r, []string{"plain", "qp", "alt", "b64"})
		out = append(out, m)
	}

	// Delivery status notifications (RFC 3464).
	bounceFrom := []string{"Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "MAILER-DAEMON@mx1.mail.example.net",
		"Mail Delivery System <MAILER-DAEMON@smtp.web.example>", "postmaster@outlook.example", "系统退信 <postmaster@qq.example>"}
	bounceText := []struct{ lang, variant, subj, body string }{
		{"en", "en", "Delivery Status Notification (Failure)", "** Address not found **\n\nYour message wasn't delivered to %s because the address couldn't be found, or is unable to receive mail.\n\nThe response from the remote server was:\n550 5.1.1 The email account that you tried to reach does not exist."},
		{"en", "en", "Undelivered Mail Returned to Sender", "This is the mail system at host mx1.mail.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients. It's attached below.\n\n<%s>: host mx.remote.example said: 552 5.2.2 Mailbox full"},
		{"en", "en", "Undeliverable: %s", "Delivery has failed to these recipients or groups:\n\n%s\nThe recipient's mailbox is full and can't accept messages now. Please try resending this message later, or contact the recipient directly."},
		{"en", "en", "Mail delivery failed: returning message to sender", "This message was created automatically by mail delivery software.\n\nA message that you sent could not be delivered to one or more of its\nrecipients. This is a permanent error. The following address(es) failed:\n\n  %s\n    retry timeout exceeded"},
		{"en", "en", "Delayed Mail (still being retried)", "This is an automatically generated Delivery Status Notification.\n\nTHIS IS A WARNING MESSAGE ONLY.\nYOU DO NOT NEED TO RESEND YOUR MESSAGE.\n\nDelivery to the following recipients has been delayed:\n\n     %s"},
		{"zh", "zh-hans", "系统退信", "很抱歉您发送的邮件被退回，以下是该邮件的相关信息：\n收件人：%s\n退信原因：收件人邮箱不存在或已被注销。"},
	}
	for i := 0; i < 12; i++ {
		t := bounceText[i%len(bounceText)]
		m := autoBase(r, base, t.variant, t.lang)
		m.from = pick(r, bounceFrom)
		if t.lang == "zh" {
			m.from = bounceFrom[4]
		}
		rcpt := fill(r, &pack{code: "en"}, 'x', "{email}")
		orig := pick(r, ourSubjects)
		m.subject = t.subj
		if strings.Contains(t.subj, "%s") {
			m.subject = fmt.Sprintf(t.subj, orig)
		}
		m.text = fmt.Sprintf(t.body, rcpt) + "\n"
		m.headers = [][2]string{{"Auto-Submitted", "auto-replied"}, {"Return-Path", "<>"}}
		m.form = "report"
		m.report = fmt.Sprintf("Reporting-MTA: dns; mx1.mail.example.net\nArrival-Date: %s\n\nFinal-Recipient: rfc822; %s\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n",
			m.date.Format(time.RFC1123Z), rcpt)
		origID := fmt.Sprintf("%x@xiyue.example", r.Uint64())
		m.origHdrs = fmt.Sprintf("From: Xiyue Support <support@xiyue.example>\nTo: %s\nSubject: %s\nMessage-ID: <%s>\nDate: %s\n",
			rcpt, orig, origID, m.date.Add(-time.Minute).Format(time.RFC1123Z))
		out = append(out, m)
	}

	// Newsletters and list mail.
	news := []struct{ lang, variant, from, list, subj, body string }{
		{"en", "en", "Packwell Supplies <news@packwell.example>", "<news.packwell.example>", "Spring sale: 20% off mailer boxes and bubble wrap",
			"Hi there,\n\nOur spring sale is on! Save 20% on mailer boxes, jewelry gift boxes and bubble wrap until 31 March.\n\nShop now: https://packwell.example/sale\n\nYou are receiving this email because you signed up at packwell.example. Unsubscribe | Update preferences | Privacy policy"},
		{"en", "en", "SilverSource Weekly <weekly@silversource.example>", "<weekly.silversource.example>", "This week in silver prices + new findings catalogue",
			"SILVER SPOT: $31.20/oz (+1.4%)\n\nNew this week: 925 clasps, jump rings and bezel cups in bulk. Minimum order 100 pcs.\n\nTo stop receiving these emails, click unsubscribe. We respect your privacy - read how we process your personal data."},
		{"en", "en", "Jewellery Trade Digest <digest@jtd.example>", "Jewellery Trade Digest <digest.jtd.example>", "Trade Digest #214: jade grading standards explained",
			"In this issue:\n- How jade grading (A/B/C) really works\n- Tarnish-resistant plating: worth it?\n- Trade fair calendar for Q2\n\nManage your subscription or unsubscribe at any time."},
		{"en", "en", "Cainiao Seller Center <seller-news@logistics.example>", "<seller-news.logistics.example>", "Holiday shipping cut-off dates for Chinese New Year",
			"Dear seller,\n\nPlease note the last pickup dates before the Spring Festival holiday. Parcels handed over after 8 February will ship from 23 February.\n\nThis is a marketing communication. Unsubscribe here."},
		{"en", "en", "PetTrade Monthly <hello@pettrade.example>", "<monthly.pettrade.example>", "New: eco-friendly cotton dog ropes for your store",
			"Stock up on bestselling pet toys! Natural cotton chew ropes, plush beds and more at wholesale prices.\n\nYou received this newsletter because you are a registered retailer. To unsubscribe, reply STOP or use the link below."},
		{"en", "en", "Webinar Team <events@saasmail.example>", "<events.saasmail.example>", "Reminder: GDPR for small e-commerce shops - webinar tomorrow",
			"Don't miss tomorrow's webinar on handling data subject requests: access, correction, deletion and consent.\n\nSee you there!\n\nUnsubscribe from event reminders."},
		{"zh", "zh-hans", "义乌小商品资讯 <news@yiwu-trade.example>", "<news.yiwu-trade.example>", "【行业周报】硅胶厨具出口新规解读",
			"尊敬的会员：\n本期内容：硅胶厨具出口检测新规、锅盖垫热销款推荐、春节物流时效提醒。\n如不想再收到此类邮件，请点击退订。"},
		{"zh", "zh-hans", "深圳珠宝圈 <weekly@szjewelry.example>", "<weekly.szjewelry.example>", "本周银价走势与新款手镯设计",
			"本周白银价格小幅上涨，水贝市场925银镯批发价上调。附：春季新款设计图册下载。\n退订请回复TD。"},
		{"zh", "zh-hant", "電商學院 <edm@ecschool.example>", "<edm.ecschool.example>", "免費講座：跨境電商個資保護實務",
			"本月講座主題：如何處理顧客的個資查詢、更正與刪除請求。\n名額有限，立即報名！\n若不想再收到本電子報，請按此取消訂閱。"},
		{"de", "de", "Händlerbund Newsletter <newsletter@haendler.example>", "<newsletter.haendler.example>", "DSGVO-Update für Onlinehändler",
			"Liebe Händlerinnen und Händler,\ndiese Woche: neue Vorgaben zur Auskunft und Löschung von Kundendaten.\nNewsletter abbestellen | Datenschutz"},
		{"fr", "fr", "La Lettre du Bijou <lettre@bijou.example>", "<lettre.bijou.example>", "Salon du bijou : les tendances 2026",
			"Découvrez les tendances du salon : argent brossé, jade et perles d'eau douce.\nPour vous désinscrire, cliquez ici."},
		{"ja", "ja", "ハンドメイド通信 <info@handmade.example>", "<info.handmade.example>", "【メルマガ】春の新作アクセサリー特集",
			"いつもご利用ありがとうございます。春の新作シルバーアクセサリーを特集しました。\n配信停止はこちらから。"},
	}
	for i := 0; i < 14; i++ {
		t := news[i%len(news)]
		m := autoBase(r, base, t.variant, t.lang)
		m.from = t.from
		m.subject = t.subj
		m.text = t.body + "\n"
		addr := t.from[strings.Index(t.from, "<")+1 : len(t.from)-1]
		m.headers = [][2]string{{"List-Id", t.list}, {"List-Unsubscribe", "<mailto:unsubscribe@" + addr[strings.Index(addr, "@")+1:] + ">, <https://" + addr[strings.Index(addr, "@")+1:] + "/u/" + fmt.Sprintf("%x", r.Uint32()) + ">"},
			{"Precedence", "bulk"}}
		if chance(r, 0.5) {
			m.headers = append(m.headers, [2]string{"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"})
		}
		m.form = pick(r, []string{"html", "alt", "alt", "qp"})
		out = append(out, m)
	}

	// No-reply system notices.
	notices := []struct{ lang, variant, from, subj, body string }{
		{"en", "en", "Courier Updates <no-reply@track.example>", "Your parcel {track} is out for delivery", "Good news! Your parcel {track} is out for delivery today between 10:00 and 14:00.\n\nThis is an automated message, please do not reply."},
		{"en", "en", "PayPal <service@notify.paypal.example>", "You've got money", "You received a payment of $42.90 USD for order {order}.\n\nThis email was sent automatically. Do not reply to this email."},
		{"en", "en", "Store Platform <noreply@shopplatform.example>", "Your data export is ready", "The export of your store data you requested is ready to download for 7 days.\n\nThis is a system notification. Please do not reply."},
		{"en", "en", "Security <no-reply@accounts.example>", "Your password was changed", "The password for your account was changed. If you didn't do this, secure your account immediately.\n\nThis mailbox is not monitored."},
		{"en", "en", "Marketplace <donotreply@market.example>", "Order {order}: buyer confirmed receipt", "The buyer has confirmed receipt of order {order}. Funds will be released within 3 business days.\n\nAutomated notification - replies are not read."},
		{"zh", "zh-hans", "顺丰速运 <noreply@sf-express.example>", "您的快件{track}已签收", "您的快件{track}已由本人签收，感谢使用顺丰速运。\n此邮件为系统自动发送，请勿回复。"},
		{"zh", "zh-hans", "支付宝 <service@mail.alipay.example>", "交易提醒：您有一笔到账", "您的账户于今日收到一笔货款，订单号{order}。\n本邮件由系统自动发出，请勿直接回复。"},
		{"ja", "ja", "配送センター <no-reply@delivery.example>", "【配達完了】お荷物をお届けしました", "お荷物（追跡番号{track}）の配達が完了しました。\nこのメールは送信専用です。返信はできません。"},
		{"de", "de", "DHL Paket <noreply@dhl.example>", "Ihre Sendung {track} kommt heute", "Ihre Sendung {track} wird heute zugestellt.\nDies ist eine automatisch generierte E-Mail, bitte antworten Sie nicht."},
	}
	for i := 0; i < 12; i++ {
		t := notices[i%len(notices)]
		m := autoBase(r, base, t.variant, t.lang)
		p := &pack{code: t.lang}
		m.from = t.from
		m.subject = fill(r, p, 'h', t.subj)
		m.text = fill(r, p, 'h', t.body) + "\n"
		if chance(r, 0.6) {
			m.headers = [][2]string{{"Auto-Submitted", "auto-generated"}}
		}
		m.form = pick(r, []string{"html", "alt", "plain", "qp"})
		out = append(out, m)
	}

	// Spam, as tagged by the upstream filter.
	spam := []struct{ lang, variant, from, subj, body string }{
		{"en", "en", "Mail Admin <admin@secure-mailbox-verify.example>", "Your mailbox will be deleted in 24 hours", "Dear user,\nYour email account has exceeded its storage limit and will be permanently deleted. Verify your account now to keep your personal data: http://verify-now.example/login\nMail Administrator"},
		{"en", "en", "Prize Center <winner@lucky-draw.example>", "Congratulations! You have been selected", "You have been selected to receive an iPhone 16! Claim your prize within 48 hours by confirming your name, address and phone number."},
		{"en", "en", "Top Rank SEO <sales@rankboost.example>", "Page 1 on Google guaranteed", "Hi,\nI noticed your jewelry website is not ranking for important keywords. We can get you to page 1 within 30 days. Reply YES for a free audit."},
		{"en", "en", "Crypto Desk <desk@fastcoin.example>", "Turn $250 into $8,000 this month", "Our AI trading bot made members 3200% last quarter. Limited spots. Unsubscribe anytime."},
		{"en", "en", "Shipping Dept <dhl-notice@parcel-hold.example>", "Parcel on hold: customs fee unpaid", "Your package is held at customs. Pay the 2.99 USD fee to release it: http://parcel-hold.example/pay\nOtherwise it will be returned."},
		{"zh", "zh-hans", "代开发票 <fp888@tax-invoice.example>", "代开各类发票", "本公司常年代开增值税发票，点数优惠，验证后付款。联系微信：fp888"},
		{"zh", "zh-hans", "网赚 <job@easymoney.example>", "在家兼职日赚500", "手机就能做，每天一小时，日结工资。加QQ详谈。"},
		{"en", "en", "Wholesale LED <led@cheap-led.example>", "LED strips factory price", "Dear purchasing manager, we are LED strip factory with 20 years experience, best price, free samples. Please reply for catalogue."},
	}
	for i := 0; i < 12; i++ {
		t := spam[i%len(spam)]
		m := autoBase(r, base, t.variant, t.lang)
		m.from = t.from
		m.subject = t.subj
		if t.lang == "en" && chance(r, 0.3) {
			m.subject = "***SPAM*** " + t.subj
		}
		m.text = t.body + "\n"
		score := 5 + r.Float64()*10
		m.headers = [][2]string{{"X-Spam-Flag", "YES"}, {"X-Spam-Status", fmt.Sprintf("Yes, score=%.1f required=5.0 tests=BAYES_99,URIBL_BLACK", score)}}
		m.form = pick(r, []string{"html", "plain", "b64"})
		out = append(out, m)
	}
	return out
}
