package classify

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"helpdesk/mailbox"
)

func newTestClassifier(t testing.TB) *Classifier {
	t.Helper()
	c, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// TestClassifyLanguages checks one message of each class per language,
// written for this test (not taken from the corpus).
func TestClassifyLanguages(t *testing.T) {
	c := newTestClassifier(t)
	tests := []struct {
		name, subject, text, lang, category, rightsType string
	}{
		{"en product", "Ring size", "Hello, I usually wear a US 7. Should I size up for the silver band with the jade stone?", "en", "product", ""},
		{"en logistics", "Order status", "My parcel hasn't arrived yet and the tracking page shows no update for a week.", "en", "logistics", ""},
		{"en deletion", "Data", "Please delete my account and all personal data you store about me.", "en", "rights", "deletion"},
		{"zh-Hans product", "手链", "请问这款银手链会不会氧化发黑？平时怎么保养？", "zh", "product", ""},
		{"zh-Hans logistics", "快递", "我的包裹一直没有物流信息，什么时候发货？", "zh", "logistics", ""},
		{"zh-Hans consent", "", "以后别再给我发营销邮件了，退订。", "zh", "rights", "consent_withdrawal"},
		{"zh-Hant access", "個資", "請告訴我你們保存了我哪些個人資料，並提供副本。", "zh", "rights", "access"},
		{"zh-Hant deletion", "帳號", "請刪除我的帳號和所有個人資料，謝謝。", "zh", "rights", "deletion"},
		{"zh-Hant logistics", "包裹", "我的包裹已經兩個禮拜沒有物流更新了，請幫忙查詢。", "zh", "logistics", ""},
		{"de correction", "Neue Nummer", "Bitte ändern Sie meine bei Ihnen hinterlegte Telefonnummer, die alte ist nicht mehr aktuell.", "de", "rights", "correction"},
		{"de logistics", "Paket", "Mein Paket ist noch nicht angekommen, die Sendungsverfolgung zeigt seit Tagen nichts.", "de", "logistics", ""},
		{"es deletion", "Cuenta", "Quiero que eliminen mi cuenta y borren mis datos personales.", "es", "rights", "deletion"},
		{"es product", "Talla", "¿Qué talla de anillo me recomiendan? Normalmente uso la 14 y es de plata, ¿verdad?", "es", "product", ""},
		{"fr consent", "Newsletter", "Je souhaite me désabonner de votre newsletter, merci.", "fr", "rights", "consent_withdrawal"},
		{"fr logistics", "Colis", "Mon colis n'est toujours pas arrivé, le suivi ne bouge plus depuis une semaine.", "fr", "logistics", ""},
		{"it complaint", "Privacy", "Avete diffuso il mio numero di telefono senza il mio consenso: ricevo chiamate di spam ogni giorno.", "it", "rights", "complaint"},
		{"it product", "Cuccia", "La cuccia per gatti è lavabile in lavatrice? Che misura ha quella grande?", "it", "product", ""},
		{"ja access", "個人情報", "御社が保有する私の個人情報の開示をお願いします。", "ja", "rights", "access"},
		{"ja logistics", "配送", "注文した荷物がまだ届きません。追跡番号を教えてください。", "ja", "logistics", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.Classify(Input{Subject: tt.subject, Text: tt.text})
			checkResult(t, res, tt.category, tt.rightsType)
			if res.Language != tt.lang {
				t.Errorf("language = %q, want %q", res.Language, tt.lang)
			}
		})
	}
}

func checkResult(t *testing.T, res Result, category, rightsType string) {
	t.Helper()
	got := ""
	if res.RightsType != nil {
		got = *res.RightsType
	}
	if res.Category != category || got != rightsType {
		t.Errorf("got %s/%s, want %s/%s; reasons: %s", res.Category, got, category, rightsType, strings.Join(res.Reasons, " | "))
	}
	if (res.Category == CategoryRights) != (res.RightsType != nil) {
		t.Errorf("rights_type %v inconsistent with category %s", res.RightsType, res.Category)
	}
	if res.Confidence <= 0 || res.Confidence > 1 {
		t.Errorf("confidence %v out of (0, 1]", res.Confidence)
	}
}

// TestHardNegatives checks the confusable pairs the corpus was built around.
func TestHardNegatives(t *testing.T) {
	c := newTestClassifier(t)
	tests := []struct {
		name, subject, text, category, rightsType string
	}{
		{"product mentioning delete", "Engraving", "If the engraving on my pendant has a typo, can you delete it and engrave the ring again?", "product", ""},
		{"product mentioning account", "Size chart", "I can't log in to my account to see the size chart. What is the inner diameter of the small bangle?", "product", ""},
		{"logistics mentioning an address", "Delivery", "Is my parcel going to 5 Rosemary Close, Bristol? The tracking shows a different town.", "logistics", ""},
		{"late parcel complaint", "Complaint", "I want to complain: my parcel is three weeks late and nobody answers my emails. This is unacceptable.", "logistics", ""},
		{"leaked phone number complaint", "Complaint", "Since I ordered from you strangers call me about my purchase. You leaked my phone number and I want to complain.", "rights", "complaint"},
		{"unsubscribe", "", "unsubscribe", "rights", "consent_withdrawal"},
		{"stop marketing emails", "Emails", "Please stop sending me promotional emails.", "rights", "consent_withdrawal"},
		{"take me off the list", "List", "Take me off your mailing list please.", "rights", "consent_withdrawal"},
		{"opt out", "SMS", "Opt me out of all marketing texts.", "rights", "consent_withdrawal"},
		{"withdraw consent zh", "", "我撤回同意，别再用我的信息做推荐了。", "rights", "consent_withdrawal"},
		{"close my account", "Account", "Close my account.", "rights", "deletion"},
		{"change the phone number", "Phone", "Please change the phone number you have for me, it is now +44 7700 900123.", "rights", "correction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, c.Classify(Input{Subject: tt.subject, Text: tt.text}), tt.category, tt.rightsType)
		})
	}
}

func TestAutomated(t *testing.T) {
	c := newTestClassifier(t)
	tests := []struct {
		name string
		in   Input
	}{
		{"header flag", Input{Subject: "Unsubscribe", Text: "Please delete my account", Automated: true, AutomatedReasons: []string{"list-id"}}},
		{"auto reply subject", Input{Subject: "Automatic reply: [XY-1042] We received your message", Text: "I am out of the office."}},
		{"bounce subject", Input{Subject: "Undeliverable: Your deletion request", Text: "Delivery has failed."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.Classify(tt.in)
			if !res.Automated || res.Category != CategoryOther || res.RightsType != nil {
				t.Errorf("got %+v, want automated other", res)
			}
		})
	}
	// A customer may start a subject with "Out of office": not automated.
	res := c.Classify(Input{Subject: "Out of office hours delivery?", Text: "Can the courier deliver my parcel after 6pm?"})
	if res.Automated {
		t.Errorf("customer question marked automated: %v", res.Reasons)
	}
}

func TestSpamHeader(t *testing.T) {
	raw := "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\nX-Spam-Flag: YES\r\n\r\nwin money\r\n"
	in := InputFromMessage(mailbox.Parse([]byte(raw), mailbox.ParseOptions{}))
	if !in.Automated {
		t.Fatalf("X-Spam-Flag: YES not automated: %+v", in)
	}
}

func TestRightsPreferred(t *testing.T) {
	c := newTestClassifier(t)
	// Mostly about a bracelet, but "my data": product scores highest, yet
	// rights is likely enough to be preferred.
	res := c.Classify(Input{Text: "my data and the bracelet"})
	if res.Category != CategoryRights || res.RightsType == nil {
		t.Fatalf("got %s, want rights; reasons %v", res.Category, res.Reasons)
	}
	var why string
	for _, r := range res.Reasons {
		if strings.HasPrefix(r, "rights-preferred: uncertain between rights and product (p=") {
			why = r
		}
	}
	if why == "" {
		t.Errorf("no rights-preferred reason: %v", res.Reasons)
	}
	// Clearly a product question: no preference kicks in.
	res = c.Classify(Input{Text: "bracelet account size"})
	if res.Category != CategoryProduct {
		t.Errorf("got %s, want product; reasons %v", res.Category, res.Reasons)
	}
	for _, r := range res.Reasons {
		if strings.HasPrefix(r, "rights-preferred") {
			t.Errorf("unexpected %q", r)
		}
	}
}

func TestDisclaimerIgnored(t *testing.T) {
	c := newTestClassifier(t)
	text := "Does the dish rack fit a 40 cm counter?\n\nThis email and any attachments are confidential and intended solely for the addressee. If you are not the intended recipient, please delete it and notify the sender."
	res := c.Classify(Input{Subject: "Dish rack size", Text: text})
	checkResult(t, res, "product", "")
	found := false
	for _, r := range res.Reasons {
		found = found || r == "legal disclaimer ignored"
	}
	if !found {
		t.Errorf("no disclaimer reason: %v", res.Reasons)
	}
}

func TestResultJSON(t *testing.T) {
	c := newTestClassifier(t)
	b, err := json.Marshal(c.Classify(Input{Subject: "Order", Text: "Where is my parcel? Tracking shows nothing."}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"rights_type":null`) {
		t.Errorf("non-rights result should marshal rights_type null: %s", b)
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Where is my order? It has been two weeks.", "en"},
		{"请问我的订单什么时候发货？", "zh"},
		{"請問我的訂單什麼時候出貨？", "zh"},
		{"Wo ist mein Paket? Ich warte seit zwei Wochen.", "de"},
		{"¿Dónde está mi pedido? Hace dos semanas que espero.", "es"},
		{"Où est ma commande ? J'attends depuis deux semaines.", "fr"},
		{"Dov'è il mio ordine? Aspetto da due settimane.", "it"},
		{"注文した商品はいつ届きますか？", "ja"},
		{"Hi, 我想问一下手镯的尺寸", "zh"},
		{"1234 5678", "und"},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.text); got != tt.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
	if _, trad := detectLanguage("請刪除我的帳號"); !trad {
		t.Error("Traditional script not detected")
	}
	if _, trad := detectLanguage("请删除我的账号"); trad {
		t.Error("Simplified script reported as Traditional")
	}
}

func TestTokenize(t *testing.T) {
	got := Tokenize("Delete my account! 删除账号")
	want := []string{"delete", "~delet", "delete_my", "account", "my_account", "~accou", "删", "删除", "除", "除账", "账", "账号", "号"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Tokenize = %q\nwant       %q", got, want)
	}
	// Traditional and Simplified give the same features.
	if a, b := strings.Join(Tokenize("刪除帳號"), " "), strings.Join(Tokenize("删除账号"), " "); a != b {
		t.Errorf("Traditional %q != Simplified %q", a, b)
	}
	// Digits (order numbers) are dropped.
	if got := Tokenize("XY20260311 #12345"); len(got) != 0 {
		t.Errorf("tokens from numbers: %q", got)
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "Delete my account!", "请删除我的账号", "個人資料", "メール配信停止", "l'adresse e-mail", "\xff\xfe\x00abc", "a'", "'", "-x-", "ß ǅ ﬁ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range Tokenize(s) {
			if tok == "" || !utf8.ValidString(tok) {
				t.Fatalf("bad token %q from %q", tok, s)
			}
		}
	})
}

func TestCorrections(t *testing.T) {
	c := newTestClassifier(t)
	in := Input{Subject: "Bracelet for my niece", Text: "Could you tell me if the Lucky Knot arrives wrapped? It is for my niece."}
	before := c.Classify(in)
	// The agent says: this is a product question. Pick a wrong label if
	// the model already agrees, so the test always proves a change.
	want := "product"
	if before.Category == "product" {
		want = "logistics"
	}
	c2, err := c.WithCorrections([]Example{{Subject: in.Subject, Text: in.Text, Category: want}})
	if err != nil {
		t.Fatal(err)
	}
	if after := c2.Classify(in); after.Category != want {
		t.Errorf("after correction: %s, want %s (reasons %v)", after.Category, want, after.Reasons)
	}
	if again := c.Classify(in); again.Category != before.Category {
		t.Errorf("original classifier changed: %s -> %s", before.Category, again.Category)
	}
	if c2.Model().Corrections != 1 {
		t.Errorf("corrections = %d, want 1", c2.Model().Corrections)
	}
	if _, err := c.WithCorrections([]Example{{Text: "x", Category: "rights", RightsType: "bogus"}}); err == nil {
		t.Error("bad rights type accepted")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m := Train([]Example{
		{Subject: "Size", Text: "what ring size should I order", Category: "product"},
		{Subject: "Size", Text: "which ring size is right", Category: "product"},
		{Subject: "Data", Text: "delete my data please", Category: "rights", RightsType: "deletion"},
		{Subject: "Data", Text: "please delete my data now", Category: "rights", RightsType: "deletion"},
	})
	var a bytes.Buffer
	if err := m.Save(&a); err != nil {
		t.Fatal(err)
	}
	m2, err := LoadModel(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m2.Save(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("Save(Load(Save(m))) differs from Save(m)")
	}
	if len(m2.Features) == 0 || m2.Docs[0] != 2 {
		t.Errorf("loaded model lost data: %d features, docs %v", len(m2.Features), m2.Docs)
	}
	if _, err := LoadModel(strings.NewReader(`{"version":99}`)); err == nil {
		t.Error("wrong version accepted")
	}
}

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, ModelFile)
	// Missing file: the embedded model.
	c, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	c2, err := c.WithCorrections([]Example{{Subject: "zqx", Text: "zqxword zqxword", Category: "logistics"}})
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(path), 0o755)
	var buf bytes.Buffer
	c2.Model().Save(&buf)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	c3, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if c3.Model().Corrections != 1 {
		t.Errorf("Open did not load the data_dir model")
	}
	os.WriteFile(path, []byte("{broken"), 0o644)
	if _, err := Open(path); err == nil {
		t.Error("broken model accepted")
	}
}

// TestEmbeddedModelUpToDate regenerates the model from the corpus: the
// embedded bytes must match, so model.json cannot drift from the corpus
// (or from the tokenizer, or from mailbox.Parse). Run `go generate` after
// changing any of them.
func TestEmbeddedModelUpToDate(t *testing.T) {
	dir := filepath.Join("testdata", "corpus")
	m, err := TrainCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := m.Save(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), embeddedModel) {
		t.Error("model.json is stale: run `go generate ./tickets/classify`")
	}
	held, err := HeldOutLabels(dir)
	if err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile(filepath.Join(dir, HeldOutDir, LabelsFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(held, onDisk) {
		t.Error("heldout/labels.jsonl is stale: run `go generate ./tickets/classify`")
	}
}

// TestCorpus checks the corpus itself: size, every label's file exists,
// all classes and languages are represented, and the split is near 25%.
func TestCorpus(t *testing.T) {
	dir := filepath.Join("testdata", "corpus")
	labels, err := ReadLabels(filepath.Join(dir, LabelsFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(labels) < 400 {
		t.Errorf("corpus has %d messages, want >= 400", len(labels))
	}
	held := 0
	seen := map[string]int{}
	for _, l := range labels {
		if _, err := os.Stat(filepath.Join(dir, l.File)); err != nil {
			t.Errorf("label for missing file: %v", err)
		}
		if HeldOut(l.File) {
			held++
		}
		seen[l.Language]++
		seen[labelName(l.Category, l.RightsType, l.Automated)]++
	}
	for _, k := range []string{"en", "zh", "de", "es", "fr", "it", "ja", "product", "logistics", "other", "other+automated",
		"rights/access", "rights/correction", "rights/deletion", "rights/consent_withdrawal", "rights/complaint"} {
		if seen[k] < 10 {
			t.Errorf("%s: %d messages, want >= 10", k, seen[k])
		}
	}
	if f := float64(held) / float64(len(labels)); f < 0.18 || f > 0.32 {
		t.Errorf("held-out fraction %.2f, want about 0.25", f)
	}
}

func TestConcurrentClassify(t *testing.T) {
	c := newTestClassifier(t)
	want := c.Classify(Input{Subject: "Delete", Text: "delete my account"})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				got := c.Classify(Input{Subject: "Delete", Text: "delete my account"})
				if got.Category != want.Category || got.Confidence != want.Confidence {
					t.Errorf("concurrent result differs: %+v vs %+v", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkClassify classifies the corpus messages in turn: one op is one
// message.
func BenchmarkClassify(b *testing.B) {
	b.ReportAllocs()
	c := newTestClassifier(b)
	dir := filepath.Join("testdata", "corpus")
	labels, err := ReadLabels(filepath.Join(dir, LabelsFile))
	if err != nil {
		b.Fatal(err)
	}
	var ins []Input
	for _, l := range labels {
		m, err := ParseFile(filepath.Join(dir, l.File))
		if err != nil {
			b.Fatal(err)
		}
		ins = append(ins, InputFromMessage(m))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.Classify(ins[i%len(ins)])
	}
}
