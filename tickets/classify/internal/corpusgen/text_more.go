//go:build corpusgen

package main

// moreItems are further hand-written messages per language variant, mostly
// for the classes with few examples (business mail, thanks, short product
// and delivery questions). extraCounts says how many more messages each
// label gets.
var moreItems = map[string][]item{
	"en": {
		{"other", 0, []string{"Hello"}, []string{
			"Interview request || Press enquiry => I'm a journalist at a lifestyle magazine preparing a piece on small online shops. Would someone be available for a short phone interview next week?",
			"Invoice for my company || VAT invoice => Could you issue the invoice in my company's name (Brightline Studio Ltd) instead of my own? Our accountant needs it for the books.",
			"Affiliate programme? || Partnership => Do you run an affiliate programme? I write a gift-guide blog and would like to link to your pet products.",
			"Lovely service || Thank you => Got everything today. The packaging was so nice I kept the box. Thanks for the little handwritten note too!",
			"Photo shoot || Collaboration request => I'm a photographer and would love to shoot your jade pieces for my portfolio, free of charge. Interested?",
		}},
		{"product", 'h', []string{"Question"}, []string{
			"Does the corkscrew work on synthetic corks too, or only natural cork?",
			"Can I put the dish rack in the dishwasher to clean it? It's getting a bit grimy.",
			"Is the plush cat bed suitable for a small dog? My dachshund keeps stealing the cat's bed.",
		}},
	},
	"zh-hans": {
		{"other", 0, []string{"你好"}, []string{
			"采访邀请 || 媒体合作 => 您好，我是一家生活方式杂志的编辑，想就手工饰品创业做个简短的采访，不知道方便吗？",
			"开发票 || 公司抬头发票 => 请问可以开公司抬头的增值税普通发票吗？公司名称稍后发给你们。",
			"好评 || 谢谢 => 东西收到了，包装很用心，还有手写卡片，太暖心了，会推荐给朋友的。",
			"应聘 || 求职 => 你好，我是做银饰的手艺人，有五年经验，想问问你们工作室还招人吗？",
			"供应商合作 || 合作 => 我们是做硅胶制品的工厂，价格比市场低，可以给您寄样品和报价单。",
		}},
		{"product", 'x', []string{"咨询"}, []string{
			"玉手镯可以戴着洗澡吗？会不会变色？",
			"请问银戒指过敏体质能戴吗？是纯银还是镀银的？",
		}},
		{"logistics", 0, []string{"物流"}, []string{
			"我的快递已经三天没有动了，显示在转运中心，能帮忙催一下吗？",
			"请问发什么快递？偏远地区能到吗？",
		}},
	},
	"zh-hant": {
		{"other", 0, []string{"您好"}, []string{
			"合作邀約 || 網紅合作 => 您好，我是IG上分享貓咪生活的創作者，想和你們合作推廣貓窩，可以寄送樣品嗎？",
			"感謝 || 好評 => 包裹今天收到，包裝很精美，項鍊也很漂亮，非常滿意！",
			"門市 || 實體店 => 請問你們在台灣有門市或快閃店嗎？想親自去看看。",
			"發票 || 公司發票 => 請問可以開立公司統編的發票嗎？",
		}},
		{"product", 'x', []string{"詢問"}, []string{
			"銀手鐲可以戴著洗澡嗎？會不會變黑？",
			"珍珠項鍊有附保養說明嗎？要怎麼收納比較好？",
		}},
		{"logistics", 0, []string{"物流"}, []string{
			"請問可以寄到便利商店取貨嗎？",
			"包裹卡在海關好幾天了，需要我提供什麼資料嗎？",
		}},
	},
	"de": {
		{"other", 0, []string{"Anfrage"}, []string{
			"Kooperation || Zusammenarbeit => Ich betreibe einen Katzen-Account auf Instagram und würde gern mit Ihnen zusammenarbeiten. Könnten Sie ein Muster schicken?",
			"Rechnung auf Firma || Rechnung => Können Sie die Rechnung bitte auf meine Firma ausstellen? Die Firmenadresse schicke ich gern.",
			"Lob || Vielen Dank => Das Paket kam heute, alles wunderbar verpackt. Danke für die nette Karte!",
		}},
		{"product", 0, []string{"Frage"}, []string{
			"Frage zum Material || Echtsilber? => Ist die Kette aus echtem 925er Silber oder nur versilbert?",
			"Spülmaschine? || Topfdeckelmatte => Darf die Silikon-Topfdeckelmatte in die Spülmaschine?",
			"Handyhalterung || Passt mein Handy? => Passt die Helm-Handyhalterung auch für ein Samsung S24 Ultra mit Hülle?",
		}},
		{"logistics", 0, []string{"Lieferung"}, []string{
			"Paket beim Zoll || Zoll => Mein Paket hängt beim Zoll fest. Brauchen Sie noch Unterlagen von mir?",
			"Welcher Paketdienst? || Versand => Mit welchem Paketdienst versenden Sie nach Österreich?",
		}},
	},
	"es": {
		{"other", 0, []string{"Consulta"}, []string{
			"Colaboración || Propuesta => Tengo un canal de YouTube sobre mascotas y me gustaría colaborar con ustedes. ¿Podrían enviarme una muestra?",
			"Factura a empresa || Factura => ¿Pueden emitir la factura a nombre de mi empresa? Les paso el CIF.",
			"¡Todo perfecto! || Gracias => El paquete llegó hoy, muy bien embalado. ¡Gracias por la tarjeta!",
		}},
		{"product", 0, []string{"Consulta"}, []string{
			"¿Plata de ley? || Material => ¿La cadena es de plata de ley 925 o solo bañada?",
			"¿Lavavajillas? || Salvamanteles => ¿El salvamanteles de silicona se puede meter en el lavavajillas?",
			"Soporte de móvil || ¿Vale para mi móvil? => ¿El soporte para casco sirve para un Samsung S24 Ultra con funda?",
		}},
		{"logistics", 0, []string{"Envío"}, []string{
			"Paquete en aduana || Aduana => Mi paquete está retenido en aduana. ¿Necesitan algún documento mío?",
			"¿Qué transportista? || Envío a Canarias => ¿Con qué empresa envían a Canarias?",
		}},
	},
	"fr": {
		{"other", 0, []string{"Demande"}, []string{
			"Partenariat || Collaboration => J'anime un compte Instagram sur les chats et j'aimerais collaborer avec vous. Pourriez-vous m'envoyer un échantillon ?",
			"Facture au nom de ma société || Facture => Pouvez-vous établir la facture au nom de ma société ? Je vous envoie le numéro SIRET.",
			"Tout est parfait || Merci => Colis reçu aujourd'hui, très bien emballé. Merci pour le petit mot !",
		}},
		{"product", 0, []string{"Question"}, []string{
			"Argent massif ? || Matière => La chaîne est-elle en argent 925 massif ou simplement plaquée ?",
			"Lave-vaisselle ? || Dessous de couvercle => Le dessous de couvercle en silicone passe-t-il au lave-vaisselle ?",
			"Support téléphone || Compatible ? => Le support pour casque convient-il à un Samsung S24 Ultra avec coque ?",
		}},
		{"logistics", 0, []string{"Livraison"}, []string{
			"Colis bloqué en douane || Douane => Mon colis est bloqué en douane. Avez-vous besoin de documents de ma part ?",
			"Quel transporteur ? || Livraison en Belgique => Avec quel transporteur livrez-vous en Belgique ?",
		}},
	},
	"it": {
		{"other", 0, []string{"Richiesta"}, []string{
			"Collaborazione || Proposta => Ho un profilo Instagram sui gatti e vorrei collaborare con voi. Potreste mandarmi un campione?",
			"Fattura aziendale || Fattura => Potete intestare la fattura alla mia azienda? Vi mando la partita IVA.",
			"Tutto perfetto || Grazie => Il pacco è arrivato oggi, imballato benissimo. Grazie per il biglietto!",
		}},
		{"product", 0, []string{"Domanda"}, []string{
			"Argento 925? || Materiale => La catenina è in argento 925 massiccio o solo placcata?",
			"Lavastoviglie? || Sottopentola => Il sottopentola in silicone si può lavare in lavastoviglie?",
			"Supporto telefono || Compatibile? => Il supporto per casco va bene per un Samsung S24 Ultra con custodia?",
		}},
		{"logistics", 0, []string{"Spedizione"}, []string{
			"Pacco in dogana || Dogana => Il mio pacco è fermo in dogana. Vi servono documenti da parte mia?",
			"Quale corriere? || Spedizione in Svizzera => Con quale corriere spedite in Svizzera?",
		}},
	},
	"ja": {
		{"other", 0, []string{"お問い合わせ"}, []string{
			"コラボのご相談 || PRのご依頼 => 猫のInstagramアカウントを運営しています。猫用ベッドのPRでコラボできないでしょうか。サンプルをいただけますか。",
			"領収書について || 会社名での領収書 => 会社名で領収書を発行していただくことは可能でしょうか。",
			"お礼 || 届きました => 本日受け取りました。丁寧な梱包とお手紙、ありがとうございました。",
		}},
		{"product", 0, []string{"商品について"}, []string{
			"素材について || シルバー925ですか => チェーンはシルバー925ですか、それともメッキですか？",
			"食洗機について || 鍋敷き => シリコン鍋敷きは食洗機で洗えますか？",
			"スマホホルダー || 対応機種 => ヘルメット用スマホホルダーはケース付きのGalaxy S24 Ultraにも使えますか？",
		}},
		{"logistics", 0, []string{"配送について"}, []string{
			"通関について || 税関で止まっています => 荷物が税関で止まっているようです。何か書類が必要でしょうか。",
			"配送業者 || どこの配送会社ですか => どちらの配送業者で発送されますか？",
		}},
	},
}

var extraCounts = map[string]map[string]int{
	"en":      {"other": 8, "product": 4},
	"zh-hans": {"other": 6, "product": 3, "logistics": 3},
	"zh-hant": {"other": 5, "product": 3, "logistics": 3},
	"de":      {"other": 4, "product": 4, "logistics": 3},
	"es":      {"other": 4, "product": 4, "logistics": 3},
	"fr":      {"other": 4, "product": 4, "logistics": 3},
	"it":      {"other": 4, "product": 4, "logistics": 3},
	"ja":      {"other": 4, "product": 4, "logistics": 3},
}

// withMore adds moreItems and extraCounts to a pack.
func withMore(p *pack) *pack {
	p.items = append(p.items, moreItems[p.variant]...)
	counts := map[string]int{}
	for k, v := range p.counts {
		counts[k] = v
	}
	for k, v := range extraCounts[p.variant] {
		counts[k] += v
	}
	p.counts = counts
	return p
}
