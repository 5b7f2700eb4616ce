package mailbox

import "testing"

func TestSplitReply(t *testing.T) {
	tests := []struct {
		name                     string
		text                     string
		wantNew, wantQuoted, sig string
	}{
		{"no quote", "Hello\nworld\n", "Hello\nworld", "", ""},
		{"top posting with > quote",
			"Thanks!\n\nOn Tue, Nov 3, 2026 at 10:00 AM Shop <s@x.example> wrote:\n> old\n> text\n",
			"Thanks!", "On Tue, Nov 3, 2026 at 10:00 AM Shop <s@x.example> wrote:\n> old\n> text", ""},
		{"gmail wrapped attribution",
			"Yes please.\n\nOn Tue, Nov 3, 2026 at 10:00 AM Xiyue Support <\nsupport@xiyue.example> wrote:\n\n> old\n",
			"Yes please.", "On Tue, Nov 3, 2026 at 10:00 AM Xiyue Support <\nsupport@xiyue.example> wrote:\n\n> old", ""},
		{"inline answers stay new",
			"> Which colour?\nBlue.\n> Which size?\nLarge.\n",
			"Blue.\nLarge.", "> Which colour?\n> Which size?", ""},
		{"attribution without > is history (top posting)",
			"Fine.\nOn Mon, 2 Nov 2026 09:00, Shop wrote:\nOld text without prefix\n",
			"Fine.", "On Mon, 2 Nov 2026 09:00, Shop wrote:\nOld text without prefix", ""},
		{"weak 'wrote:' without > is new text",
			"My colleague wrote:\nthe kettle leaks\n",
			"My colleague wrote:\nthe kettle leaks", "", ""},
		{"german", "Danke.\nAm 02.11.2026 um 09:00 schrieb Shop <s@x>:\nalt\n", "Danke.", "Am 02.11.2026 um 09:00 schrieb Shop <s@x>:\nalt", ""},
		{"french", "Merci.\nLe lun. 2 nov. 2026 à 09:00, Shop <s@x> a écrit :\nancien\n", "Merci.", "Le lun. 2 nov. 2026 à 09:00, Shop <s@x> a écrit :\nancien", ""},
		{"spanish", "Gracias.\nEl lun, 2 nov 2026 a las 9:00, Shop (<s@x>) escribió:\nviejo\n", "Gracias.", "El lun, 2 nov 2026 a las 9:00, Shop (<s@x>) escribió:\nviejo", ""},
		{"italian", "Grazie.\nIl giorno lun 2 nov 2026 alle ore 09:00 Shop <s@x> ha scritto:\nvecchio\n", "Grazie.", "Il giorno lun 2 nov 2026 alle ore 09:00 Shop <s@x> ha scritto:\nvecchio", ""},
		{"chinese 在...写道",
			"收到，谢谢。\n\n在 2026年11月20日 10:00，喜悦客服 <support@xiyue.example> 写道：\n您好\n",
			"收到，谢谢。", "在 2026年11月20日 10:00，喜悦客服 <support@xiyue.example> 写道：\n您好", ""},
		{"chinese gmail 于...写道",
			"好的\n\n张三 <z@x.example> 于2026年11月20日周五 10:00写道：\n\n> 旧\n",
			"好的", "张三 <z@x.example> 于2026年11月20日周五 10:00写道：\n\n> 旧", ""},
		{"japanese gmail",
			"承知しました。\n\n2026年11月20日(金) 10:00 山田太郎 <taro@example.jp>:\n\n> 古い\n",
			"承知しました。", "2026年11月20日(金) 10:00 山田太郎 <taro@example.jp>:\n\n> 古い", ""},
		{"original message zh", "好的\n-----原始邮件-----\n发件人：客服\n", "好的", "-----原始邮件-----\n发件人：客服", ""},
		{"qq original with nbsp", "好\n------------------\u00a0原始邮件\u00a0------------------\n旧\n", "好", "------------------\u00a0原始邮件\u00a0------------------\n旧", ""},
		{"original message en", "OK\n\n-----Original Message-----\nFrom: x\n", "OK", "-----Original Message-----\nFrom: x", ""},
		{"outlook block",
			"See below.\n\nFrom: Xiyue Support <support@xiyue.example>\nSent: Monday, November 30, 2026 10:00 AM\nTo: me\nSubject: x\n\nold\n",
			"See below.", "From: Xiyue Support <support@xiyue.example>\nSent: Monday, November 30, 2026 10:00 AM\nTo: me\nSubject: x\n\nold", ""},
		{"outlook block zh full-width colon",
			"请看下面\n发件人： 客服\n发送时间： 2026年11月30日 10:00\n收件人： 我\n旧\n",
			"请看下面", "发件人： 客服\n发送时间： 2026年11月30日 10:00\n收件人： 我\n旧", ""},
		{"outlook underscore rule",
			"ok\n________________________________\nFrom: A\nSent: today\nold\n",
			"ok", "________________________________\nFrom: A\nSent: today\nold", ""},
		{"from line alone is not a block", "From: my friend I heard about you\nhello\n", "From: my friend I heard about you\nhello", "", ""},
		{"signature delimiter", "Hi\n\n-- \nJohn\nACME\n", "Hi", "", "John\nACME"},
		{"signature then quote", "Hi\n-- \nJohn\nOn Tue, Nov 3, 2026, Shop wrote:\n> x\n", "Hi", "On Tue, Nov 3, 2026, Shop wrote:\n> x", "John"},
		{"sent from my iphone", "Yes\n\nSent from my iPhone\n", "Yes", "", "Sent from my iPhone"},
		{"发自我的iPhone", "好的\n\n发自我的iPhone\n", "好的", "", "发自我的iPhone"},
		{"mobile line mid-text is not a signature", "Sent from my iPhone because\nI am travelling\nthis week\nand next\nand after\n",
			"Sent from my iPhone because\nI am travelling\nthis week\nand next\nand after", "", ""},
		{"only quote", "> all quoted\n", "", "> all quoted", ""},
		{"empty", "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, q, s := splitReply(tt.text)
			if n != tt.wantNew {
				t.Errorf("new = %q, want %q", n, tt.wantNew)
			}
			if q != tt.wantQuoted {
				t.Errorf("quoted = %q, want %q", q, tt.wantQuoted)
			}
			if s != tt.sig {
				t.Errorf("signature = %q, want %q", s, tt.sig)
			}
		})
	}
}
