package testmail

import (
	"math/rand/v2"
	"strings"
)

// The body of a generated message is its language's question once, then
// filler written from a vocabulary in random, frequency-skewed order. A
// body made of one paragraph repeated would compress forty-fold, which no
// real mail does; this filler compresses about as much as real prose
// (zstd's fastest level: roughly 2-3x), so that measurements of anything
// that compresses or deduplicates stored mail stay honest.

const (
	englishWords = "the a to and of I you my it is in for that this was on with have be not your order can me" +
		" we but at if so please would like could when will what how do there about from as just or they one" +
		" last week still received yet parcel bracelet ring necklace silver size colour clasp chain gift" +
		" tracking number shipping delivery address refund return exchange payment card invoice price" +
		" discount package box broken small large wrist finger ordered arrived days weeks since friend" +
		" birthday wedding photo picture attached website account email phone message reply answer thanks" +
		" help sorry problem question quickly soon today tomorrow morning evening again already also very" +
		" much more some any other new old nice beautiful wrong right same different cheaper better"
	germanWords = "ich und die der das ist nicht mein meine sie es ein eine zu mit auf für von im den dem wir" +
		" bitte danke Paket Bestellung Lieferung Sendung Adresse Rückgabe Umtausch Zahlung Rechnung Preis" +
		" Flaschenöffner Geschirrständer Küche Tage Woche seit noch schon wieder heute morgen gestern" +
		" Sendungsverfolgung Nummer Kundenservice Antwort Frage Problem leider kaputt angekommen bestellt" +
		" schnell bald möglich gerne gut neu alt groß klein anders besser freundlichen Grüßen"
	simplifiedHan = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可" +
		"她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老" +
		"从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给" +
		"等几很业最间新什打便位因重被走电四第门相次东海口使教西再平真听世气信北少关并内加化由却代产入先山五" +
		"太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫常提感金何更反合" +
		"放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风接它许八特觉望直服林题建南度统色字请交" +
		"爱让认算论百吃义科怎元术结六功指思非流每青管夫连远资跟带花快条院变联言权往展该领传近留红决周保达办" +
		"订单包裹递货退款尺寸银链戒项颜质量客谢您"
	traditionalHan = "的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可" +
		"她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老" +
		"從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者向情部正名定女問力機給" +
		"等幾很業最間新什打便位因重被走電四第門相次東海口使教西再平真聽世氣信北少關並內加化由卻代產入先山五" +
		"太水萬市眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路期叫常提感金何更反合" +
		"放做系計或司利受光王果親界及今京務制解各任至清物台象記邊共風接它許八特覺望直服林題建南度統色字請交" +
		"愛讓認算論百吃義科怎元術結六功指思非流每青管夫連遠資跟帶花快條院變聯言權往展該領傳近留紅決周保達辦" +
		"訂單包裹遞貨退款尺寸銀鏈戒項顏質量客謝您"
	japaneseText = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんがぎぐ" +
		"げござじずぜぞだでどばびぶべぼっょゃゅアイウエオカキクケコサシスセソタチツテトナニヌネノマミムメモラリルレロン" +
		"日本人時間今年月週注文配送商品届確認連絡問題発送追跡番号返品交換支払方法住所変更予定到着店舗購入価格" +
		"在庫色大小指輪首飾銀製使用説明保証期対応私先生様願"
)

// filler returns about n bytes (as UTF-8) of text in l's language.
func filler(l lang, r *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(n + 64)
	switch l.filler {
	case "en", "de":
		words := strings.Fields(englishWords)
		if l.filler == "de" {
			words = strings.Fields(germanWords)
		}
		for b.Len() < n {
			k := 6 + r.IntN(14)
			for j := 0; j < k; j++ {
				w := words[skewed(r, len(words))]
				if j == 0 {
					w = strings.ToUpper(w[:1]) + w[1:]
				} else {
					b.WriteByte(' ')
				}
				b.WriteString(w)
			}
			b.WriteString(". ")
			if r.IntN(5) == 0 {
				b.WriteString("\r\n\r\n")
			}
		}
	default:
		chars := []rune(simplifiedHan)
		switch l.filler {
		case "zht":
			chars = []rune(traditionalHan)
		case "ja":
			chars = []rune(japaneseText)
		}
		for b.Len() < n {
			k := 8 + r.IntN(24)
			for j := 0; j < k; j++ {
				b.WriteRune(chars[skewed(r, len(chars))])
			}
			if r.IntN(3) == 0 {
				b.WriteString("，")
				continue
			}
			b.WriteString("。")
			if r.IntN(5) == 0 {
				b.WriteString("\r\n\r\n")
			}
		}
	}
	return b.String()
}

// skewed picks an index below n, the low ones (the frequent words) far
// more often, as in real text.
func skewed(r *rand.Rand, n int) int {
	u := r.Float64()
	return int(float64(n) * u * u * u)
}
