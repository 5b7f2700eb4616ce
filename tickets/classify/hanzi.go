package classify

import (
	"unicode/utf8"
)

// tradSimp maps Traditional Chinese characters to Simplified ones: pairs
// of (Traditional, Simplified), each character three bytes of UTF-8,
// sorted by the Traditional code point. It covers the characters common in
// customer mail (orders, delivery, jewelry, household goods, personal data
// requests), not all of Chinese; unmapped characters stay as they are.
const tradSimp = "並并亂乱來来個个們们備备傳传價价億亿儲储兒儿內内刪删剛刚劃划動动務务勝胜勞劳勢势區区協协卻却參参" +
	"員员問问單单嗎吗嘆叹嚇吓嚮向嚴严圍围圓圆圖图團团執执報报場场墊垫壓压壞坏夠够夢梦奧奥奪夺妝妆婦妇" +
	"媽妈嬰婴孫孙學学寢寝實实寧宁寫写寬宽寶宝將将專专尋寻對对導导屆届層层屬属島岛峽峡帥帅師师帳账帶带" +
	"幣币幫帮幾几庫库廚厨廠厂廢废廣广廳厅張张強强彈弹彎弯後后徑径從从復复徵征恆恒惡恶愛爱態态慣惯慮虑" +
	"憑凭憶忆應应懷怀戰战戲戏戶户換换損损擁拥擇择擊击擔担據据擠挤擬拟擴扩擾扰攝摄攤摊敗败敵敌數数斂敛" +
	"斷断於于時时暫暂曆历曉晓書书會会東东條条棄弃業业極极樂乐樓楼標标樣样橋桥機机檔档檢检檯台權权歐欧" +
	"歡欢歲岁歷历歸归殘残殺杀氣气決决沒没況况洩泄減减測测湯汤準准溫温滿满漢汉漲涨潔洁潛潜濃浓濕湿濟济" +
	"濾滤瀝沥灣湾災灾為为無无煙烟煩烦熱热燈灯燒烧營营爐炉爛烂爭争爺爷牆墙牽牵狀状猶犹獎奖獨独獲获現现" +
	"瑣琐瑪玛環环瓊琼產产畢毕畫画異异當当療疗癢痒發发盜盗盡尽監监盤盘眾众睏困矽硅碩硕確确碼码礙碍禍祸" +
	"禮礼稅税種种稱称穀谷穩稳窩窝窮穷競竞筆笔筍笋節节範范築筑簡简簽签籃篮糧粮糾纠紀纪約约紅红納纳純纯" +
	"紙纸級级細细紹绍終终組组結结絕绝絡络給给絨绒統统絲丝綁绑經经綜综綠绿維维網网緊紧緒绪線线緣缘編编" +
	"練练縣县縫缝縮缩總总績绩織织繩绳繫系繼继續续罰罚罷罢羅罗義义習习聖圣聞闻聯联聰聪聲声職职聽听肅肃" +
	"脅胁腦脑腫肿腳脚膚肤臉脸臺台與与興兴舉举舊旧艙舱艱艰莊庄華华萊莱萬万葉叶著着蒐搜蓋盖藍蓝藝艺藥药" +
	"蘇苏蘋苹處处虛虚號号蝦虾蟲虫術术衛卫衝冲裏里補补裝装裡里製制複复褲裤襪袜覆复見见規规視视親亲覺觉" +
	"覽览觀观觸触訂订計计訊讯討讨訓训託托記记訪访設设許许訴诉診诊註注詐诈評评詞词詢询試试話话該该詳详" +
	"誇夸誌志認认誕诞語语誤误說说誰谁課课調调談谈請请論论諮咨諾诺謀谋謊谎講讲謝谢證证識识譜谱譯译議议" +
	"護护讀读變变讓让讚赞豐丰豬猪貓猫貝贝負负財财貨货責责貴贵買买貸贷費费貼贴貿贸賀贺資资賓宾賠赔賣卖" +
	"質质賬账賴赖購购贈赠趕赶趙赵趨趋跡迹踐践蹤踪車车軌轨軍军軟软較较載载輔辅輕轻輛辆輩辈輪轮輸输轉转" +
	"辦办辭辞農农迴回這这連连週周進进遊游運运過过達达違违遞递遠远適适遲迟選选遺遗還还邊边郵邮鄉乡鄭郑" +
	"鄰邻醜丑醫医釋释釘钉針针銀银銷销鋪铺鋼钢錄录錢钱錯错錶表鍊链鍋锅鍵键鎖锁鎮镇鏈链鏡镜鐘钟鐲镯鐵铁" +
	"鑑鉴鑒鉴鑽钻長长門门閃闪閉闭開开閒闲間间閱阅闆板關关陣阵陰阴陳陈陸陆陽阳隊队階阶際际隨随險险隱隐" +
	"隻只雖虽雙双雜杂雞鸡離离難难雲云電电靈灵靜静鞏巩韌韧韓韩響响頁页頂顶項项順顺須须預预頓顿領领頭头" +
	"頸颈頻频顆颗題题額额顏颜願愿類类顧顾顯显風风颱台飛飞飯饭飲饮飾饰餅饼養养餘余館馆馬马騙骗騷骚驅驱" +
	"驗验驚惊髒脏體体髮发鬆松鬥斗鬧闹魚鱼鳥鸟鹽盐麗丽麥麦麵面麼么黃黄點点黨党黴霉齊齐齒齿齡龄龍龙"

// simplify maps a Traditional Chinese character to its Simplified form so
// both scripts share features and rules.
func simplify(r rune) rune {
	if r < 0x4e00 || r > 0x9fff || !isTraditional(r) {
		return r
	}
	// Every entry is a three-byte character, so the binary search decodes
	// the code point in place instead of comparing strings.
	lo, hi := 0, len(tradSimp)/6
	for lo < hi {
		mid := (lo + hi) / 2
		e := tradSimp[mid*6 : mid*6+3]
		t := rune(e[0]&0x0f)<<12 | rune(e[1]&0x3f)<<6 | rune(e[2]&0x3f)
		switch {
		case t == r:
			s, _ := utf8.DecodeRuneInString(tradSimp[mid*6+3:])
			return s
		case t < r:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return r
}

// tradBits has a bit per code point from U+4E00 that tradSimp maps. Most
// Han characters in mail have no entry, and the bit says so at once.
var tradBits = func() (b [(0x9fff - 0x4e00 + 64) / 64]uint64) {
	for i := 0; i < len(tradSimp); i += 6 {
		r, _ := utf8.DecodeRuneInString(tradSimp[i:])
		b[(r-0x4e00)/64] |= 1 << ((r - 0x4e00) % 64)
	}
	return b
}()

// isTraditional reports whether tradSimp maps r, for r in U+4E00..U+9FFF.
func isTraditional(r rune) bool {
	return tradBits[(r-0x4e00)/64]&(1<<((r-0x4e00)%64)) != 0
}
