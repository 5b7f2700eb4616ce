package classify

import "strings"

// rule is one high-precision phrase rule. It fires when every string of
// any one alternative occurs in the normalized subject+text; it then adds
// ruleBoost to its class score. Rules are written naturally and normalized
// at construction, so Traditional Chinese and full-width forms match too.
type rule struct {
	id    string     // e.g. "en.unsubscribe"
	class string     // e.g. "rights/consent_withdrawal"
	any   [][]string // OR of ANDs
}

// lexicon holds the fixed word lists of the classifier. It is built once
// per Classifier (and per Train call) and never modified afterwards.
type lexicon struct {
	replyPrefixes []string
	disclaimers   []string
	autoSubjects  []string // normalized subject prefixes of automated mail
	greetings     []string // prefixes of a greeting first line
	closings      []string // whole closing lines ("best regards")
	footers       []string // prefixes of mobile footers ("sent from my")
	rules         []rule
}

// alt builds one rule alternative from "a + b + c".
func alts(specs ...string) [][]string {
	out := make([][]string, 0, len(specs))
	for _, s := range specs {
		var and []string
		for _, p := range strings.Split(s, " + ") {
			and = append(and, normalize(p))
		}
		out = append(out, and)
	}
	return out
}

func newLexicon() *lexicon {
	lx := &lexicon{
		replyPrefixes: []string{"re:", "re :", "fw:", "fwd:", "fw :", "aw:", "wg:", "sv:", "vs:", "tr:", "rv:", "res:",
			"回复:", "回复 :", "答复:", "转发:", "返信:", "転送:"},
		// Only prefixes no customer writes: "Out of office hours delivery?"
		// must stay a customer question.
		autoSubjects: []string{"automatic reply:", "auto-reply:", "autoreply:", "out of office:", "自动回复", "【自动回复】",
			"abwesenheitsnotiz:", "automatische antwort:", "réponse automatique", "respuesta automática:", "risposta automatica:",
			"自動応答", "delivery status notification", "undeliverable:", "undelivered mail returned to sender",
			"mail delivery failed", "系统退信", "***spam***"},
		greetings: []string{"hi", "hello", "hey", "dear", "good morning", "good afternoon", "good evening", "hallo", "guten tag",
			"guten morgen", "sehr geehrte", "liebes team", "liebe", "hola", "buenos días", "buenas tardes", "estimad",
			"bonjour", "bonsoir", "madame", "buongiorno", "buonasera", "salve", "ciao", "gentil", "你好", "您好", "客服",
			"在吗", "哈啰", "哈囉", "お世話になっております", "いつもお世話になっております", "こんにちは", "突然のご連絡"},
		closings: []string{"thanks", "thank you", "thanks in advance", "many thanks", "best regards", "kind regards", "regards",
			"cheers", "best", "best wishes", "sincerely", "yours sincerely", "yours faithfully", "warm regards", "thx",
			"viele grüße", "mit freundlichen grüßen", "danke und gruß", "beste grüße", "liebe grüße", "gruß", "grüße", "danke",
			"vielen dank", "gracias", "saludos", "un saludo", "atentamente", "muchas gracias", "merci", "cordialement",
			"bien à vous", "merci d'avance", "bien cordialement", "grazie", "cordiali saluti", "saluti", "grazie mille",
			"distinti saluti", "谢谢", "谢谢你", "谢谢您", "麻烦了,谢谢", "期待回复", "辛苦了", "感谢您的协助", "祝好",
			"よろしくお願いいたします", "よろしくお願いします", "ご確認よろしくお願いします", "宜しくお願いします"},
		footers: []string{"sent from my", "get outlook for", "sent from mail for", "von meinem", "gesendet von",
			"enviado desde", "envoyé de", "envoyé depuis", "inviato da", "发自我的", "来自网易", "从我的 iphone", "透过 android",
			"iphoneから送信", "android携帯から"},
		disclaimers: []string{
			"this email and any attachments", "this e-mail and any attachments", "this message and any attachments",
			"this email is confidential", "this e-mail is confidential", "confidentiality notice", "disclaimer:",
			"intended solely for the use", "if you are not the intended recipient", "if you have received this email in error",
			"if you have received this e-mail in error", "please consider the environment before printing",
			"diese e-mail enthält vertrauliche", "diese nachricht enthält vertrauliche", "wenn sie nicht der richtige adressat",
			"ce message et toutes les pièces jointes", "ce message et ses pièces jointes", "si vous avez reçu ce message par erreur",
			"este mensaje y sus anexos", "este correo electrónico y sus anexos", "este mensaje es confidencial",
			"questo messaggio e i suoi allegati", "le informazioni contenute in questo messaggio",
			"本邮件及其附件", "此邮件及其附件", "本邮件含有保密信息", "如果您错收了本邮件", "本电子邮件及其附件",
			"このメールは機密", "本メールは機密", "本メールには機密",
		},
	}
	for i, s := range lx.autoSubjects {
		lx.autoSubjects[i] = normalize(s)
	}
	for i, s := range lx.disclaimers {
		lx.disclaimers[i] = normalize(s)
	}
	for _, list := range [][]string{lx.replyPrefixes, lx.greetings, lx.closings, lx.footers} {
		for i, s := range list {
			list[i] = normalize(s)
		}
	}
	lx.rules = phraseRules()
	return lx
}

// phraseRules are the high-precision phrases per language. They only name
// wordings that, in customer mail to a shop, mean one rights request; the
// naive Bayes model handles everything else.
func phraseRules() []rule {
	const (
		acc = "rights/access"
		cor = "rights/correction"
		del = "rights/deletion"
		con = "rights/consent_withdrawal"
		cmp = "rights/complaint"
	)
	return []rule{
		// consent withdrawal: unsubscribe, opt out, stop marketing
		{"en.unsubscribe", con, alts("unsubscribe", "opt me out", "opt out of", "opt-out", "take me off your", "take me off the",
			"remove me from your mailing", "remove me from your newsletter", "remove me from your list", "remove me from the mailing",
			"stop sending me", "stop emailing me", "no more emails", "no more marketing", "don't want to receive any more",
			"do not want to receive any more", "no longer wish to receive", "no longer want to receive", "stop the sms")},
		{"en.withdraw-consent", con, alts("withdraw my consent", "withdrawing my consent", "withdraw consent", "revoke my consent",
			"changed my mind + please stop", "don't use my purchase history")},
		{"zh.unsubscribe", con, alts("退订", "取消订阅", "撤回同意", "撤回我的同意", "不要再给我发", "不要再发", "不要再寄", "不要再传简讯",
			"邮件列表里移除", "不想收到任何营销", "停止使用我的资料做行销")},
		{"de.unsubscribe", con, alts("abbestellen", "abmelden", "widerrufe meine einwilligung", "einwilligung widerrufen",
			"aus ihrem verteiler", "keine werbe-e-mails mehr", "keine newsletter mehr")},
		{"es.unsubscribe", con, alts("darme de baja", "dar de baja", "baja, por favor", "retiro mi consentimiento", "dejen de enviarme",
			"no quiero recibir más")},
		{"fr.unsubscribe", con, alts("désabonner", "désinscri", "retire mon consentement", "ne plus m'envoyer", "ne veux plus recevoir")},
		{"it.unsubscribe", con, alts("disiscriver", "revoco il consenso", "non inviatemi più", "non voglio più ricevere",
			"dalla mailing list", "dalla newsletter")},
		{"ja.unsubscribe", con, alts("配信停止", "配信を停止", "同意を撤回", "送らないでください", "メルマガ解除", "購読解除")},

		// deletion: erase data, close the account
		{"en.delete-account", del, alts("delete my account", "close my account", "cancel my account", "deactivate my account",
			"delete my customer", "erase everything", "erase my", "wipe my data", "right to be forgotten", "right to deletion",
			"right to erasure", "remove all information", "remove my personal", "delete my data", "delete all my",
			"delete my personal", "delete my phone + record", "delete my details", "permanently delete my")},
		{"zh.delete", del, alts("注销", "删除我的账", "删除我所有", "删除我的全部", "删除我的个", "删除你们保存的", "删除 + 个人信息",
			"删除 + 个人资料", "删除 + 个资", "把我的 + 删除", "删除我的帐")},
		{"de.delete", del, alts("konto löschen", "konto kündigen", "löschen sie mein", "löschung meiner daten", "daten löschen",
			"schließen sie mein konto", "über mich löschen")},
		{"es.delete", del, alts("eliminen mi cuenta", "eliminar mi cuenta", "borren mis datos", "borrar mis datos", "supresión de",
			"cerrar mi cuenta")},
		{"fr.delete", del, alts("supprimer mon compte", "supprimez mes données", "effacement", "fermer mon compte",
			"suppression de mes données", "supprimer mes données")},
		{"it.delete", del, alts("cancellare il mio account", "cancellate i miei dati", "cancellazione di tutti i dati",
			"chiudere il mio account", "cancellazione dei miei dati")},
		{"ja.delete", del, alts("アカウントを削除", "退会", "個人情報の削除", "個人情報をすべて消去", "電話番号を削除")},

		// access: a copy of, or information about, the data held
		{"en.access", acc, alts("copy of my data", "copy of my personal", "copy of all the data", "what personal information you hold",
			"what personal data", "subject access request", "data access request", "export of my data",
			"what information do you have on file", "what data do you hold", "query the personal data",
			"what personal information you passed on")},
		{"zh.access", acc, alts("查询 + 个人信息", "收集了我哪些", "保存了我的哪些", "我哪些个人", "有没有提供给第三方",
			"查询 + 个人资料", "持有的关于我", "导出给我")},
		{"de.access", acc, alts("auskunft über meine", "auskunft nach", "welche daten haben sie", "welche personenbezogenen daten")},
		{"es.access", acc, alts("derecho de acceso", "qué datos personales tienen", "qué información mía")},
		{"fr.access", acc, alts("droit d'accès", "quelles données personnelles", "quelles informations me concernant")},
		{"it.access", acc, alts("diritto di accesso", "quali dati personali", "quali informazioni avete su di me")},
		{"ja.access", acc, alts("開示", "どの情報を保存")},

		// correction: fix stored personal details
		{"en.correct", cor, alts("phone number you have for me", "number on file", "on file for me", "misspelled in your records",
			"correct it on my", "update it to", "correct it to", "update my phone number", "update my details",
			"update my contact", "update the address saved", "my stored information", "replace it with + number")},
		{"zh.correct", cor, alts("更正", "写错了", "打错", "改成 + 手机号", "改成 + 邮箱", "更新为", "更改你们留存", "留的我的手机号")},
		{"de.correct", cor, alts("berichtig", "hinterlegte telefonnummer", "aktualisieren sie meine gespeicherte", "falsch geschrieben")},
		{"es.correct", cor, alts("rectific", "cambien el número", "mal escrito", "actualicen la dirección guardada")},
		{"fr.correct", cor, alts("rectifi", "mal orthographié", "mettre à jour l'adresse enregistrée", "remplacer le numéro de téléphone enregistré")},
		{"it.correct", cor, alts("rettific", "scritto male", "sostituite il numero", "aggiornate l'indirizzo salvato")},
		{"ja.correct", cor, alts("訂正", "登録されている電話番号", "登録住所を")},

		// complaint: leaks, sharing without consent, violated rights
		{"en.complaint", cmp, alts("leaked my", "data leak", "privacy complaint", "breach of your privacy", "without my consent",
			"my personal data was used", "rights under your privacy policy", "escalate to the regulator",
			"complaint + personal information", "complaint + my data")},
		{"zh.complaint", cmp, alts("泄露", "泄漏", "外泄", "未经我同意", "没经过我同意", "侵害", "违反 + 隐私", "骚扰电话", "诈骗电话")},
		{"de.complaint", cmp, alts("datenschutzverstoß", "datenschutzbehörde", "ohne meine zustimmung", "telefonnummer weitergegeben",
			"beschwerde + löschung meiner daten")},
		{"es.complaint", cmp, alts("filtrado mi", "sin mi consentimiento", "protección de datos", "reclamación + mi número")},
		{"fr.complaint", cmp, alts("divulgué mon", "sans mon consentement", "cnil", "réclamation + mon numéro")},
		{"it.complaint", cmp, alts("diffuso il mio", "senza il mio consenso", "garante", "reclamo + il mio numero")},
		{"ja.complaint", cmp, alts("漏洩", "同意していない", "苦情 + 個人情報", "プライバシーポリシー違反")},

		// logistics: the parcel and its journey
		{"en.parcel", CategoryLogistics, alts("tracking", "parcel", "courier", "shipped", "dispatched", "delivery address",
			"customs", "in transit", "out for delivery")},
		{"zh.parcel", CategoryLogistics, alts("物流", "快递", "包裹", "发货", "出货", "签收", "单号", "收货地址", "寄到", "关税", "送达")},
		{"de.parcel", CategoryLogistics, alts("paket", "sendung", "lieferadresse", "versand", "zugestellt", "zoll")},
		{"es.parcel", CategoryLogistics, alts("paquete", "seguimiento", "envío", "entregado", "aduana", "dirección de entrega")},
		{"fr.parcel", CategoryLogistics, alts("colis", "suivi", "livraison", "livré", "expédi", "douane")},
		{"it.parcel", CategoryLogistics, alts("pacco", "tracciamento", "tracking", "spedi", "consegna", "dogana")},
		{"ja.parcel", CategoryLogistics, alts("配送", "発送", "追跡", "荷物", "配達", "関税")},

		// product: the goods themselves
		{"en.product", CategoryProduct, alts("warranty", "what size", "ring size", "dishwasher", "engrav", "tarnish",
			"nickel", "in stock", "dimensions", "resized", "exchange it for", "will it fit", "does it fit", "fit a")},
		{"zh.product", CategoryProduct, alts("尺寸", "圈口", "刻字", "保养", "发黑", "保修", "洗碗机", "机洗", "证书", "内径", "耐咬")},
		{"xx.product", CategoryProduct, alts("garantie", "gravur", "größe", "angelaufen", "garantía", "grabar", "talla",
			"gravure", "taille", "garanzia", "incidere", "misura", "保証", "刻印", "サイズ", "洗濯機", "お手入れ", "黒ずん")},

		// other: business mail from people, not customers with a request
		{"xx.business", CategoryOther, alts("wholesale", "minimum order", "are you hiring", "collaborat", "sponsor",
			"catalogue", "portfolio", "physical shop", "批发", "合作", "实体店", "großhandel", "sortiment", "mayorista",
			"tarifs de gros", "revendre", "ingrosso", "卸価格", "取り扱いたい", "merry christmas", "no need to reply")},

		// product: trouble signing in is a support question, not a rights request
		{"en.login", CategoryProduct, alts("can't log in", "cannot log in", "keeps saying my password", "already registered")},
		{"zh.login", CategoryProduct, alts("登录不了", "登不进去", "无法登录")},
		{"xx.login", CategoryProduct, alts("non riesco ad accedere", "no puedo entrar en mi cuenta", "je n'arrive pas à me connecter",
			"kann mich nicht anmelden", "ログインできません")},
	}
}

// boost is the score a firing rule adds to its category: rights rules are
// decisive, the topical product and logistics rules only tip the balance.
func (r *rule) boost() float64 {
	if strings.HasPrefix(r.class, "rights/") {
		return ruleBoost
	}
	return ruleBoost / 2
}

// matchRules returns the rules that fire on normalized text.
func (lx *lexicon) matchRules(s string) []*rule {
	var pairs bytePairs
	pairs.add(s)
	var out []*rule
	for i := range lx.rules {
		r := &lx.rules[i]
		for _, and := range r.any {
			ok := true
			for _, p := range and {
				if !pairs.mayContain(p) || !strings.Contains(s, p) {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// bytePairs is the set of adjacent byte pairs of a text, as a bitmap. A
// phrase with a pair the text lacks cannot occur in it, so most phrases are
// ruled out without a substring search: the text is scanned once instead
// of once a phrase.
type bytePairs [1 << 16 / 64]uint64

func (bp *bytePairs) add(s string) {
	for i := 0; i+1 < len(s); i++ {
		b := uint16(s[i])<<8 | uint16(s[i+1])
		bp[b>>6] |= 1 << (b & 63)
	}
}

// mayContain reports false when p cannot be a substring of the text.
func (bp *bytePairs) mayContain(p string) bool {
	for i := 0; i+1 < len(p); i++ {
		b := uint16(p[i])<<8 | uint16(p[i+1])
		if bp[b>>6]&(1<<(b&63)) == 0 {
			return false
		}
	}
	return true
}

// automatedSubject returns the marker when a normalized subject is one
// that only machines write (auto-replies, delivery reports, spam tags).
func (lx *lexicon) automatedSubject(subject string) string {
	s := strings.TrimLeft(subject, " [(【")
	for _, p := range lx.autoSubjects {
		if strings.HasPrefix(s, p) || strings.HasPrefix(subject, p) {
			return p
		}
	}
	return ""
}
