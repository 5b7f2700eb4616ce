//go:build corpusgen

package main

import (
	"fmt"
	"math/rand/v2"
	"time"
)

func packs() []*pack {
	ps := []*pack{enPack(), zhHansPack(), zhHantPack(), dePack(), esPack(), frPack(), itPack(), jaPack()}
	for _, p := range ps {
		withMore(p)
	}
	return ps
}

func enPack() *pack {
	return &pack{
		code: "en", variant: "en", charset: "windows-1252",
		greet:   []string{"Hi,", "Hello,", "Dear Sir or Madam,", "Hi there,", "Dear customer service,", "Hey,", "Good morning,", "Hello team,"},
		closing: []string{"Thanks,", "Best regards,", "Kind regards,", "Cheers,", "Thank you,", "Regards,", "Many thanks,", "Best,"},
		names: []string{"Emily Carter|emily.carter", "James O'Neill|jamesoneill", "Priya Shah|priya.shah", "Tom Becker|tbecker",
			"Sarah Nguyen|sarahn", "Michael Brown|mbrown82", "Olivia Martin|liv.martin", "Daniel Kim|dkim", "Grace Liu|grace.liu",
			"Aisha Bello|aisha.b", "Rachel Green|rgreen", "Kevin Walsh|kwalsh77", "Hannah Lee|hannah.lee", "Ben Ortiz|bortiz"},
		sent: []string{"Sent from my iPhone", "Sent from my Galaxy", "Get Outlook for Android", "Sent from Mail for Windows"},
		quote: func(r *rand.Rand, t time.Time, who string) string {
			if chance(r, 0.5) {
				return fmt.Sprintf("On %s, %s wrote:", t.Format("Mon, 2 Jan 2006 at 15:04"), who)
			}
			return fmt.Sprintf("On %s %s, %s wrote:", t.Format("Jan 2, 2006,"), t.Format("3:04 PM"), who)
		},
		shopRe: []string{
			"Dear customer,\nThank you for contacting us. We have received your message and will reply within 1 business day.\nUnder our privacy policy you can ask us to access, correct or delete your personal information, or withdraw your consent, at any time.\nBest regards,\nCustomer Service",
			"Hello,\nYour order {order} has been shipped. Tracking number: {track}.\nYou can follow the parcel on the carrier's website.\nKind regards",
			"Hi,\nThanks for your question about the {product}. Could you send us a photo so we can take a look?\nSupport team",
			"Dear customer,\nWe are sorry for the delay. We have contacted the courier and will update you as soon as we hear back.\nBest regards",
		},
		jewelry: []string{"sterling silver bangle", "jade bracelet", "925 silver ring", "freshwater pearl necklace", "engraved name necklace",
			"jade pendant", "red string bracelet", "silver hoop earrings", "moonstone ring", "beaded bracelet", "twisted silver cuff"},
		house: []string{"corkscrew", "dish drying rack", "bike cup holder", "motorcycle cup holder", "silicone pot lid mat", "thermal head cover",
			"dog chew rope", "plush cat bed", "helmet phone mount", "two-tier dish rack"},
		addrs: []string{"14 Elm Street, Apt 3B, Boston, MA 02118", "221 King St W, Toronto ON M5H 1K5", "Flat 2, 8 Mill Lane, Leeds LS6 2QT",
			"77 Harbour Rd, Wellington 6011", "3100 Lakeview Ave, Unit 12, Chicago IL 60657", "5 Rosemary Close, Bristol BS7 9HH"},
		extra: map[string][]string{
			"product":   {"I'd really like to get this right before ordering.", "I can send photos if that helps.", "Thanks in advance for your help!", "It's a gift, so I'm a bit anxious about it."},
			"logistics": {"The order confirmation said 12-15 business days and it's been longer than that.", "I'm at home most days, so any delivery time is fine.", "Order number is {order} in case you need it."},
			"rights":    {"My order number was {order}, if that helps you find me.", "I've used this email address for all my orders.", "Please confirm in writing once it's done."},
			"other":     {"Looking forward to hearing from you.", "Have a lovely week."},
		},
		disc: []string{
			"This email and any attachments are confidential and intended solely for the use of the individual or entity to whom they are addressed. If you have received this email in error, please notify the sender and delete it immediately. Any unauthorised use, disclosure or copying of this email is strictly prohibited.",
			"CONFIDENTIALITY NOTICE: The information contained in this message may be privileged and confidential. If you are not the intended recipient, you are hereby notified that any dissemination or copying is prohibited; please delete all copies and notify the sender.\nPlease consider the environment before printing this email.",
		},
		counts: map[string]int{"product": 46, "logistics": 38, "other": 12, "rights/access": 14, "rights/correction": 14,
			"rights/deletion": 16, "rights/consent_withdrawal": 16, "rights/complaint": 14},
		items: []item{
			// --- product: Xiyue jewelry
			{"product", 'x', []string{"Sizing question", "Which size should I get?", "bracelet size", "Question before ordering"}, []string{
				"I'd like to order the {product} but I'm not sure about the size. My wrist measures about 15.5 cm - should I get the S or the M? Is it adjustable at all?",
				"My ring size is US {size} but I've read that your rings run small. Would you recommend going half a size up? And can the band be resized later if it doesn't fit?",
				"Exchange for a smaller size? || Bracelet too big || exchange => The bracelet arrived but it's much too big for my daughter, it slides right off her hand. Can I exchange it for a smaller size? It's unworn and still in the box.",
			}},
			{"product", 'x', []string{"Silver turning dark", "Tarnish", "How to care for it?", "care instructions"}, []string{
				"The {product} I bought last month has started to turn dark around the clasp. Is that normal for 925 silver? How should I clean it without damaging the stones?",
				"Pearl care || Can pearls get wet? => How do I take care of a freshwater pearl necklace? Can I wear it in the shower or when swimming, or will that ruin it?",
				"Everyday wear? || Is it durable? => Can the {product} be worn every day or is it too delicate? I'm quite hard on jewelry and I work with my hands.",
				"Care instructions again please || Silver looks dull || How to clean silver? => I accidentally deleted the email with the care instructions for my silver ring. Could you send me the tips again? It's starting to look dull and a bit yellow.",
			}},
			{"product", 'x', []string{"Jade certificate?", "Is the jade real?", "Question about materials"}, []string{
				"Is the jade in the {product} natural A-grade jade or is it treated? Do you provide a certificate with it?",
				"nickel? || Sensitive skin question || Question about materials => Hi, is the {product} nickel free? I have very sensitive skin and cheap earrings make my ears itch and swell.",
				"Silver or plated? || Name necklace chain => Is the chain on the name necklace real silver or plated?",
				"bangle size || inner diameter? => what is the inner diameter of the jade bangle? the listing only says 'medium'",
			}},
			{"product", 'x', []string{"Engraving", "Custom engraving request", "Custom piece?", "Personalised jewelry"}, []string{
				"Can you engrave a short message on the inside of the ring? Something like 'L & M 2026'. How many characters fit and does it add to the making time?",
				"Engraving typo? || Engraved pendant question => If I order the engraved pendant and I make a typo in the name, can you delete the old engraving and redo it, or is that permanent?",
				"Custom piece? || Birthstone ring => Do you do custom pieces? I'd like a ring with my grandmother's birthstone (a garnet) set into a plain silver band, size {size}. Roughly what would that cost?",
				"Longer chain? || Necklace length || Chain length question => Do you make the necklace chain in a longer length? 45 cm sits too high on me, I'd prefer 50 or even 55 cm.",
			}},
			{"product", 'x', []string{"Defect", "Repair?", "Quality problem", "Something broke"}, []string{
				"One of the beads on my {product} came loose after a week and the string is fraying. Can I send it back for repair or exchange? I have photos if you need them.",
				"The stone fell out of my moonstone ring - I've only had it two weeks and I haven't knocked it on anything. Is this covered? I'd like a replacement or a refund.",
				"The clasp on the pearl necklace won't stay closed, it just pops open when I move. Could you fix it or send a new clasp?",
			}},
			{"product", 'x', []string{"Question"}, []string{
				"Gift box? || Buying as a present || Gift wrapping => I'm buying the {product} as a gift. Does it come in a gift box, and can you leave the price off the packing slip?",
				"Account / sizing chart || Can't see the size guide || Bangle size => I can't log in to my account to check the sizing guide you sent me - it keeps saying my password is wrong. Can you just tell me the inner diameter of the medium bangle? That's all I need.",
				"Earrings pair? || Question => Do the silver hoop earrings come as a pair or single? The photo shows one.",
			}},
			// --- product: household goods
			{"product", 'h', []string{"Product problem"}, []string{
				"Corkscrew broke || Warranty? || Broken after two uses => The corkscrew I got broke on the second bottle - the worm just bent sideways. Is there a warranty on it?",
				"Dish rack suction cups || Faulty item || Won't stick => The suction cups on the dish rack won't stick to my sink no matter what I do. Any tips, or can you send a different version?",
				"Chew rope || Stronger rope? || Dog rope destroyed => My dog destroyed the chew rope in a single afternoon. Is there a heavier version for strong chewers? He's a 30 kg lab.",
				"Phone mount wobbles || Helmet mount problem || Question about phone mount => The helmet phone mount doesn't grip my phone tightly - it wobbles on bumpy roads. Is there a way to tighten it or am I installing it wrong?",
			}},
			{"product", 'h', []string{"Will it fit?", "Compatibility question", "Quick question"}, []string{
				"Will the bike cup holder fit a handlebar of 31.8 mm? Most of my bikes have oversized bars.",
				"Does the motorcycle cup holder hold a large 32 oz tumbler, or only standard cans and bottles?",
				"does the phone mount fit an iPhone 15 Pro Max with a thick case?",
				"Cup holder for scooter? || Will it fit? => Which of your cup holders would work on a kick scooter? The stem is pretty thin, about 22 mm.",
				"Head cover under helmet? || Thermal head cover question => Can the thermal head cover be worn under a cycling helmet? I commute by bike in winter and my ears freeze.",
			}},
			{"product", 'h', []string{"Question"}, []string{
				"Dishwasher safe? || Pot lid mats => Are the silicone pot lid mats dishwasher safe and heat resistant? I want to put hot lids straight on them from the stove.",
				"Washing instructions || Care of cat bed => How do I wash the plush cat bed? Can it go in the machine or only by hand? The tag doesn't say.",
				"dimensions || Dish rack size => What are the exact dimensions of the dish rack? It has to fit a counter space of 40 x 30 cm.",
				"Rust? || Dish rack material => Is the dish rack rust-proof? My old one went orange at the joints within a few months.",
				"Head cover size || Too tight - bigger size? || Exchange => The thermal head cover is too tight for me (head circumference 60 cm). Do you have a larger size I could swap it for?",
				"Cat bed in stock? || Account problem + cat bed || Large cat bed => I tried to create an account on your site to buy the cat bed but it keeps saying my email is already registered. Anyway - is the grey one in stock in large?",
			}},
			// --- logistics
			{"logistics", 0, []string{"Where is my order?", "Order {order} status", "Has my order shipped?", "No tracking update", "order status"}, []string{
				"I placed order {order} ten days ago and the tracking still shows 'label created'. Has it actually been shipped?",
				"Where is my parcel? Tracking {track} hasn't moved since it left Shenzhen a week ago.",
				"any update on my order {order}?",
				"I ordered on Monday and chose standard shipping. Have you dispatched it yet? I haven't had any email since the order confirmation.",
				"The parcel has been sitting at 'arrived at destination country' for 9 days. Is that normal?",
				"My friend's parcel arrived but mine, ordered the same day, hasn't. Order {order}.",
				"when will my ring ship?",
			}},
			{"logistics", 0, []string{"Delivery date", "Shipping time", "Shipping question"}, []string{
				"Can you tell me when order {order} will ship? I need it before the 20th for a birthday.",
				"Shipping to Canada || Customs fees? => Do you ship to Canada, and how much will customs or duty be? I don't want a surprise bill at the door.",
				"How long does shipping usually take to Germany? The website says 12-15 business days, is that still accurate?",
				"Is express shipping available? I'd happily pay extra to get it within a week.",
				"Combine orders? || Two orders => Could you combine my two orders ({order} and {order}) into one shipment to save on postage?",
				"Which courier? || UK delivery => Which courier do you use for the UK? Royal Mail won't deliver to my building's mailroom on weekends.",
			}},
			{"logistics", 0, []string{"Parcel not delivered", "Delivered but not received", "Missing package"}, []string{
				"The courier says the package was delivered but there's nothing at my door and my neighbours haven't seen it. Tracking {track}. What can we do?",
				"It says delivered to a parcel locker but I never got a pickup code. Can you check with the courier?",
				"Missing item || Item missing from parcel => My order {order} arrived but one item is missing - I ordered two pot lid mats and only one was in the box.",
				"Damaged in transit || Parcel crushed => The box arrived completely crushed and the dish rack inside is bent. The courier obviously dropped it. Can you send a replacement?",
				"Wrong city! || Problem with delivery => Tracking shows my parcel went to the wrong city - it's in Lyon and I live in Lille. Please contact the carrier.",
				"Returned to sender || Reship please => My order was returned to sender because the courier couldn't reach me. Can you ship it again? I'll make sure someone is home.",
				"Courier couldn't find me || Problem with delivery => The courier called and said they couldn't find the house. Could you ask them to call me again before they come back? Tracking {track}.",
			}},
			{"logistics", 0, []string{"Complaint - late delivery", "Still not arrived!!", "Unacceptable delay", "Formal complaint about my order"}, []string{
				"This is really unacceptable. My parcel was supposed to arrive two weeks ago and it's still 'in transit'. I want to file a complaint - I paid on the 3rd and I've heard nothing from you since.",
				"I'm complaining about the delivery of order {order}. Three weeks, no parcel, no answer to my last two emails. Either ship a replacement or refund me.",
			}},
			{"logistics", 0, []string{"Order {order}"}, []string{
				"Delivery address || Address on my order => Has my order been sent to {addr} yet? The confirmation email cut off the second line of the address and I want to make sure it arrives.",
				"Change address for order {order} || Delivery address change => Can I change the delivery address for order {order}? It hasn't shipped yet. Please send it to {addr} instead, I'm moving this week.",
				"Parcel going to old address? || Address on my order => I moved last month - is the parcel going to my old address? The tracking shows the old city. Order {order}.",
				"Customs invoice || Stuck in customs => The parcel is stuck in customs and they're asking for an invoice. Can you send me the commercial invoice for order {order}?",
				"Cancel order || Cancel order {order} => I need to cancel order {order} before it ships - I picked the wrong colour by mistake.",
				"Hold my order? || Delivery while I'm away => I'm away from the 14th to the 28th. If my order hasn't gone out by then, can you hold it and ship it after?",
			}},
			// --- other (human-written, no request we handle)
			{"other", 'x', []string{"Wholesale enquiry", "Stocking your bracelets", "Collaboration", "Hello from Milan"}, []string{
				"We are a boutique in Milan and would like to stock your handmade bracelets. Do you offer wholesale prices, and what is the minimum order?",
				"Are you hiring? I'm a silversmith with five years of bench experience and I'd love to work with your team. I can send a portfolio.",
				"Do you have a physical shop in Shenzhen where I can visit? I'll be in town for the trade fair next month.",
				"I'm a student writing a paper about small jewelry workshops in Guangdong. Could I ask you a few questions by email?",
				"Just wanted to say thank you - the ring is beautiful and my wife cried when she opened it. No need to reply!",
			}},
			{"other", 'h', []string{"Partnership", "Sponsorship request", "Sample for review?", "Thank you!", "Supplier offer"}, []string{
				"Hi! I run a cat account on Instagram with 40k followers and would love to collaborate on the plush cat bed. Would you send a sample in exchange for an honest review?",
				"We manufacture silicone kitchen products and can offer better prices than your current supplier. Can I send you our catalogue?",
				"Merry Christmas to the whole team! Thanks for the great service this year.",
				"Do you sponsor local cycling clubs? Ours is organising a charity ride in May and we're looking for prizes.",
			}},
			// --- rights: access
			{"rights/access", 0, []string{"Request for my personal data", "Data access request", "What data do you hold about me?", "Subject access request", "My data", "privacy question"}, []string{
				"Could you please tell me what personal information you hold about me? I'd like a copy of all the data linked to my email address.",
				"Under your privacy policy I'd like to query the personal data you've collected about me - name, addresses, phone numbers, order history, anything.",
				"I'm making a subject access request. Please send me all personal data you store about me, where it came from, and who you've shared it with (couriers, payment providers and so on).",
				"What information do you have on file for me? I want to see exactly what you keep after an order is finished.",
				"Can you send me an export of my data? I'd like to know which addresses and phone numbers you have saved for me.",
				"Did you share my address with anyone besides the courier? Please list what personal information you passed on and to whom.",
				"Please send me a copy of my personal data.",
				"How long do you keep my details and what exactly is stored? Is my card number saved with you?",
			}},
			// --- rights: correction
			{"rights/correction", 0, []string{"Update my details", "Wrong phone number on file", "Correction request", "Please correct my name", "Change my contact info"}, []string{
				"Please change the phone number you have for me to {phone}. The old one is no longer in use.",
				"My name is misspelled in your records - it's Katharine, not Katherine. Could you correct it on my customer profile?",
				"I've moved. Please update the address saved in my account to {addr}. It's not for a current order, I just want your records to be right.",
				"The email address on my customer account is wrong (one letter off). Please correct it to {email}.",
				"Your records still show my old surname. I got married - please update it to Chen.",
				"The contact number saved on my profile belongs to my ex. Please replace it with {phone} and remove the old one.",
				"Can you fix my details? You have my street as 'Oak Rd' but it's 'Oak Road East', and the postcode is wrong too. I'd like my stored information to be accurate.",
				"please update my phone number on file to {phone}",
			}},
			// --- rights: deletion
			{"rights/deletion", 0, []string{"Delete my account", "Close my account", "Deletion request", "Please remove my data", "Erase my information", "account"}, []string{
				"Please close my account and delete all my personal data. I won't be ordering again.",
				"I want you to erase everything you have about me - name, address, phone, order history. Please confirm when it's done.",
				"Close my account please.",
				"I'd like to exercise my right to deletion. Remove my personal information from your systems, including the shipping addresses.",
				"Please delete my account. I don't remember creating it and I don't want my details stored with you.",
				"Can you delete my phone number and address from your records now that my order has arrived? I don't see why you need to keep them.",
				"Cancel my account and wipe my data. Thanks.",
				"I'm requesting that you permanently delete my customer record and any copies held by your couriers.",
				"Right to be forgotten request: please remove all information associated with {email}.",
				"I no longer use your services. Kindly delete my personal information and deactivate my account.",
			}},
			// --- rights: consent withdrawal
			{"rights/consent_withdrawal", 0, []string{"Unsubscribe", "unsubscribe me", "Stop emails", "Opt out", "Withdraw consent", "No more marketing", ""}, []string{
				"Unsubscribe.",
				"Please stop sending me marketing emails. Take me off your mailing list.",
				"I withdraw my consent for you to use my data for marketing or product recommendations.",
				"Remove me from your newsletter please, I get far too many emails.",
				"I don't want to receive any more promotional messages or SMS from you. Opt me out of everything.",
				"Stop emailing me about new collections. I only wanted the one order.",
				"Please don't use my purchase history to analyse my preferences anymore - I'm withdrawing my consent for that.",
				"I no longer wish to receive order status notifications by text message. Please stop the SMS.",
				"How do I unsubscribe? The link at the bottom of your emails doesn't work.",
				"Take me off your list. NOW.",
				"No more emails please.",
				"I agreed to receive product news when I ordered, but I've changed my mind. Please stop.",
			}},
			// --- rights: complaint
			{"rights/complaint", 0, []string{"Complaint: my data was leaked", "Privacy complaint", "Data breach?", "You shared my information", "Formal complaint - personal data"}, []string{
				"Since ordering from you I've been getting spam calls from people who know my name and what I bought. Someone leaked my phone number. I want to know how this happened and I'm filing a complaint.",
				"You shared my address with a marketing company without my consent - I received a catalogue from a company I've never heard of, addressed exactly as on my order. This is a breach of your privacy policy.",
				"I object to the way you're handling my personal information. I asked you to stop and you kept texting me. I'm lodging a formal complaint.",
				"Your last email to customers showed everyone's email address in the CC field, including mine. That's a data leak and I'd like an explanation.",
				"I received someone else's order confirmation with their name, address and phone number. If you're sending their data to me, who is getting mine? This is a privacy complaint.",
				"My photo from a product review appears in your advert. I never agreed to that - my personal data was used without permission. I want it taken down and I'm complaining.",
				"I believe my rights under your privacy policy have been violated. I asked for a copy of my data three weeks ago and got no answer. I'll escalate to the regulator if I don't hear back.",
			}},
		},
	}
}
