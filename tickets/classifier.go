package tickets

import (
	"strings"

	"helpdesk/mailbox"
)

// Classification is what a Classifier says about one message, with the
// values DESIGN.md lists.
type Classification struct {
	Category   string // product | logistics | rights | other
	RightsType string // access | correction | deletion | consent_withdrawal | complaint, or ""
	Automated  bool
	Language   string
	Confidence float64
	Reasons    []string
}

// Classifier sorts a parsed message. Implementations must be safe for
// concurrent use: ingest calls it from several parse workers.
type Classifier interface {
	Classify(m *mailbox.Message) Classification
}

// KeywordClassifier is the minimal keyword classifier: a fallback and a
// test double. The trained classifier in tickets/classify replaces it in
// the daemon.
type KeywordClassifier struct{}

// Classify looks for a few keywords in the subject and new text.
func (KeywordClassifier) Classify(m *mailbox.Message) Classification {
	if m.Automated {
		return Classification{Category: "other", Automated: true, Language: "en", Confidence: 1,
			Reasons: append([]string{"automated"}, m.AutomatedReasons...)}
	}
	text := strings.ToLower(m.Subject + "\n" + m.NewText)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(text, w) {
				return true
			}
		}
		return false
	}
	c := Classification{Category: "other", Language: "en", Confidence: 0.5}
	switch {
	case has("delete my", "erase", "删除我的", "注销"):
		c.Category, c.RightsType = "rights", "deletion"
	case has("unsubscribe", "退订"):
		c.Category, c.RightsType = "rights", "consent_withdrawal"
	case has("copy of my data", "personal information", "个人信息"):
		c.Category, c.RightsType = "rights", "access"
	case has("tracking", "parcel", "shipping", "delivery", "物流", "快递"):
		c.Category = "logistics"
	case has("size", "ring", "bracelet", "broken", "戒指", "手链"):
		c.Category = "product"
	}
	c.Reasons = []string{"keyword:" + c.Category}
	return c
}
