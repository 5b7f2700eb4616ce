//go:build corpusgen

package main

import (
	"fmt"
	"math/rand/v2"
	"time"
)

var euCounts = map[string]int{"product": 8, "logistics": 7, "other": 2, "rights/access": 3, "rights/correction": 3,
	"rights/deletion": 4, "rights/consent_withdrawal": 4, "rights/complaint": 3}

func dePack() *pack {
	return &pack{
		code: "de", variant: "de", charset: "iso-8859-1",
		greet:   []string{"Hallo,", "Sehr geehrte Damen und Herren,", "Guten Tag,", "Liebes Team,", "Hallo zusammen,"},
		closing: []string{"Viele Grüße", "Mit freundlichen Grüßen", "Danke und Gruß", "Beste Grüße"},
		names:   []string{"Anna Schmidt|anna.schmidt", "Lukas Weber|lukasweber", "Julia Müller|j.mueller", "Stefan Wagner|swagner", "Katrin Hoffmann|katrin.h"},
		sent:    []string{"Von meinem iPhone gesendet", "Gesendet von Outlook für Android"},
		quote: func(r *rand.Rand, t time.Time, who string) string {
			return fmt.Sprintf("Am %s schrieb %s:", t.Format("02.01.2006 um 15:04"), who)
		},
		shopRe: []string{
			"Guten Tag,\nvielen Dank für Ihre Nachricht. Wir melden uns innerhalb eines Werktages.\nGemäß unserer Datenschutzerklärung können Sie jederzeit Auskunft, Berichtigung oder Löschung Ihrer Daten verlangen.\nIhr Kundenservice",
			"Hallo,\nIhre Bestellung {order} wurde versandt. Sendungsnummer: {track}.",
		},
		jewelry: []string{"Silberarmband", "Jadearmband", "Silberring", "Perlenkette", "Namenskette mit Gravur", "Mondsteinring"},
		house:   []string{"Korkenzieher", "Abtropfgestell", "Fahrrad-Becherhalter", "Silikon-Topfdeckelmatte", "Thermo-Mütze", "Hundespielseil", "Plüsch-Katzenbett", "Helm-Handyhalterung"},
		addrs:   []string{"Lindenstraße 12, 10969 Berlin", "Hauptstr. 5a, 80331 München", "Am Markt 3, 50667 Köln"},
		disc:    []string{"Diese E-Mail enthält vertrauliche und/oder rechtlich geschützte Informationen. Wenn Sie nicht der richtige Adressat sind oder diese E-Mail irrtümlich erhalten haben, informieren Sie bitte sofort den Absender und vernichten Sie diese Mail."},
		extra: map[string][]string{
			"product":   {"Es soll ein Geschenk sein.", "Fotos kann ich gerne schicken."},
			"logistics": {"Die Bestellnummer ist {order}."},
			"rights":    {"Meine Bestellnummer war {order}."},
		},
		counts: euCounts,
		items: []item{
			{"product", 'x', []string{"Frage zur Größe", "Welche Größe?", "Silber angelaufen", "Gravur"}, []string{
				"Frage zur Größe || Welche Größe? => ich möchte das {product} bestellen, bin mir aber bei der Größe unsicher. Mein Handgelenk hat etwa 16 cm Umfang - welche Größe empfehlen Sie?",
				"Silber angelaufen || Pflege => Mein Silberring ist nach drei Wochen schon angelaufen. Wie reinige ich ihn am besten, ohne den Stein zu beschädigen?",
				"Gravur || Frage zur Gravur => Kann man in den Ring eine Gravur machen lassen? Wie viele Zeichen sind möglich?",
				"Pflegeanleitung || Silber pflegen => Ich habe die E-Mail mit der Pflegeanleitung versehentlich gelöscht. Könnten Sie mir die Tipps für Silberschmuck noch einmal schicken?",
			}},
			{"product", 'h', []string{"Korkenzieher defekt", "Passt der Halter?", "Katzenbett waschen"}, []string{
				"Korkenzieher defekt || Garantie? => Der Korkenzieher ist beim zweiten Mal gebrochen. Gibt es darauf Garantie?",
				"Passt der Halter? || Frage => Passt der Fahrrad-Becherhalter an einen Lenker mit 31,8 mm Durchmesser?",
				"Katzenbett waschen || Frage => Ist das Katzenbett waschmaschinenfest?",
			}},
			{"logistics", 0, []string{"Wo ist mein Paket?", "Lieferstatus", "Versanddauer", "Beschwerde Lieferung", "Lieferadresse ändern"}, []string{
				"Wo ist mein Paket? || Lieferstatus => Meine Bestellung {order} ist seit zehn Tagen unterwegs und die Sendungsverfolgung zeigt nichts Neues. Wo ist mein Paket?",
				"Paket nicht erhalten || Wo ist mein Paket? => Laut Tracking {track} wurde das Paket zugestellt, ich habe aber nichts erhalten.",
				"Versanddauer || Zoll? => Wie lange dauert der Versand nach Deutschland und fallen Zollgebühren an?",
				"Beschwerde Lieferung || Paket überfällig => Ich möchte mich beschweren: Das Paket ist seit drei Wochen überfällig und niemand antwortet mir. Bestellnummer {order}.",
				"Lieferadresse ändern || Bestellung {order} => Können Sie die Lieferadresse für die Bestellung {order} noch ändern? Bitte an {addr} schicken, sie ist noch nicht versandt.",
				"Versand || Lieferstatus => Wann wird meine Bestellung verschickt?",
			}},
			{"other", 0, []string{"Großhandel", "Danke!"}, []string{
				"Wir sind ein kleiner Concept Store in Hamburg und würden Ihre Armbänder gern ins Sortiment nehmen. Bieten Sie Großhandelspreise an?",
				"Vielen Dank, die Kette ist wunderschön und heil angekommen!",
			}},
			{"rights/access", 0, []string{"Auskunftsersuchen", "Auskunft nach Art. 15 DSGVO", "Meine Daten"}, []string{
				"Bitte teilen Sie mir mit, welche personenbezogenen Daten Sie über mich gespeichert haben, und senden Sie mir eine Kopie (Auskunft nach Art. 15 DSGVO).",
				"Welche Daten haben Sie von mir gespeichert und an wen wurden sie weitergegeben?",
				"Ich bitte um Auskunft über meine gespeicherten Daten.",
			}},
			{"rights/correction", 0, []string{"Berichtigung meiner Daten", "Neue Telefonnummer", "Name falsch geschrieben"}, []string{
				"Bitte ändern Sie die bei Ihnen hinterlegte Telefonnummer auf {phone}.",
				"Mein Name ist in Ihrem Kundenkonto falsch geschrieben - richtig ist „Müller“ mit ü. Bitte berichtigen Sie das.",
				"Bitte aktualisieren Sie meine gespeicherte Adresse in Ihren Unterlagen: {addr}.",
			}},
			{"rights/deletion", 0, []string{"Löschung meiner Daten", "Konto löschen", "Kundenkonto schließen"}, []string{
				"Bitte löschen Sie mein Kundenkonto und alle meine personenbezogenen Daten.",
				"Ich möchte, dass Sie sämtliche Daten über mich löschen (Art. 17 DSGVO). Bitte bestätigen Sie die Löschung.",
				"Bitte schließen Sie mein Konto. Ich werde nicht mehr bestellen.",
				"Konto kündigen und Daten löschen, danke.",
			}},
			{"rights/consent_withdrawal", 0, []string{"Newsletter abbestellen", "Widerruf der Einwilligung", "Abmelden", ""}, []string{
				"Bitte schicken Sie mir keine Werbe-E-Mails mehr. Newsletter abbestellen.",
				"Ich widerrufe meine Einwilligung zur Nutzung meiner Daten für Werbezwecke.",
				"Abmelden bitte.",
				"Bitte nehmen Sie mich aus Ihrem Verteiler.",
			}},
			{"rights/complaint", 0, []string{"Beschwerde Datenschutz", "Datenweitergabe ohne Zustimmung", "Beschwerde"}, []string{
				"Seit meiner Bestellung bekomme ich Spam-Anrufe von Leuten, die meinen Namen und meine Bestellung kennen. Sie haben offenbar meine Telefonnummer weitergegeben. Ich beschwere mich hiermit offiziell.",
				"Sie haben meine Adresse ohne meine Zustimmung an eine Werbefirma weitergegeben. Das ist ein Datenschutzverstoß, ich werde mich bei der Datenschutzbehörde beschweren.",
				"Ich habe vor einem Monat die Löschung meiner Daten beantragt und bis heute keine Antwort. Ich lege Beschwerde ein.",
			}},
		},
	}
}

func esPack() *pack {
	return &pack{
		code: "es", variant: "es", charset: "iso-8859-1",
		greet:   []string{"Hola,", "Buenos días,", "Estimados señores:", "Hola equipo,"},
		closing: []string{"Gracias,", "Saludos,", "Un saludo,", "Atentamente,"},
		names:   []string{"Lucía García|lucia.garcia", "Javier López|jlopez", "Marta Fernández|martaf", "Carlos Ruiz|cruiz", "Elena Torres|etorres"},
		sent:    []string{"Enviado desde mi iPhone", "Enviado desde mi móvil Huawei"},
		quote: func(r *rand.Rand, t time.Time, who string) string {
			return fmt.Sprintf("El %s, %s escribió:", t.Format("02/01/2006 a las 15:04"), who)
		},
		shopRe: []string{
			"Hola,\nGracias por escribirnos. Responderemos en un día hábil.\nSegún nuestra política de privacidad puede solicitar el acceso, la rectificación o la eliminación de sus datos.\nAtención al cliente",
			"Hola,\nSu pedido {order} ha sido enviado. Número de seguimiento: {track}.",
		},
		jewelry: []string{"pulsera de plata", "pulsera de jade", "anillo de plata", "collar de perlas", "collar con nombre grabado"},
		house:   []string{"sacacorchos", "escurreplatos", "portavasos para bici", "salvamanteles de silicona", "gorro térmico", "cuerda para perro", "cama para gato", "soporte de móvil para casco"},
		addrs:   []string{"Calle Mayor 15, 3º B, 28013 Madrid", "Av. Diagonal 420, 08037 Barcelona", "Calle Feria 22, 41003 Sevilla"},
		extra: map[string][]string{
			"product":   {"Es para un regalo."},
			"logistics": {"El número de pedido es {order}."},
			"rights":    {"Mi número de pedido era {order}."},
		},
		counts: euCounts,
		items: []item{
			{"product", 'x', []string{"Consulta sobre la talla", "¿Qué talla elijo?", "La plata se oscurece", "Grabado"}, []string{
				"Consulta sobre la talla || ¿Qué talla elijo? => Quiero comprar la {product} pero no sé qué talla elegir. Mi muñeca mide unos 15 cm. ¿Me recomiendan la S o la M?",
				"La plata se oscurece || Limpieza => Mi anillo de plata se ha puesto negro en pocas semanas. ¿Cómo lo limpio sin estropear la piedra?",
				"Grabado || Consulta => ¿Se puede grabar un nombre dentro del anillo? ¿Cuántas letras caben?",
				"Guía de tallas || Diámetro de la pulsera => No puedo entrar en mi cuenta para ver la guía de tallas. ¿Me pueden decir el diámetro interior de la pulsera mediana?",
			}},
			{"product", 'h', []string{"Sacacorchos roto", "¿Sirve para mi manillar?", "Lavar la cama del gato"}, []string{
				"Sacacorchos roto || Garantía => El sacacorchos se rompió la segunda vez que lo usé. ¿Tiene garantía?",
				"¿Sirve para mi manillar? || Consulta => ¿El portavasos sirve para un manillar de 31,8 mm?",
				"Lavar la cama del gato || Consulta => ¿La cama para gato se puede lavar en lavadora?",
			}},
			{"logistics", 0, []string{"¿Dónde está mi pedido?", "Estado del envío", "Pedido sin llegar", "Queja por el retraso", "Cambiar dirección de entrega"}, []string{
				"¿Dónde está mi pedido? || Estado del envío => Hice el pedido {order} hace diez días y el seguimiento no se ha actualizado. ¿Ya lo han enviado?",
				"Pedido sin llegar || No he recibido nada => El seguimiento {track} dice entregado pero yo no he recibido nada.",
				"Plazo de envío || Aduana => ¿Cuánto tarda el envío a España? ¿Hay que pagar aduana?",
				"Queja por el retraso || Pedido retrasado => Quiero poner una queja: el paquete lleva tres semanas de retraso y nadie me contesta. Pedido {order}.",
				"Cambiar dirección de entrega || Pedido {order} => ¿Pueden cambiar la dirección de entrega del pedido {order}? Todavía no ha salido. Envíenlo a {addr}, por favor.",
				"Envío || Estado del envío => ¿Cuándo envían mi pedido?",
			}},
			{"other", 0, []string{"Venta al por mayor", "¡Gracias!"}, []string{
				"Tenemos una tienda en Valencia y nos interesa vender sus pulseras. ¿Tienen precios para mayoristas?",
				"¡Muchas gracias! El collar es precioso.",
			}},
			{"rights/access", 0, []string{"Solicitud de acceso a mis datos", "Mis datos personales", "Derecho de acceso"}, []string{
				"Quisiera saber qué datos personales tienen sobre mí. Por favor, envíenme una copia.",
				"¿Qué información mía guardan y con quién la han compartido?",
				"Ejerzo mi derecho de acceso: envíenme todos los datos personales que conservan de mí.",
			}},
			{"rights/correction", 0, []string{"Rectificación de datos", "Cambio de teléfono", "Mi nombre está mal"}, []string{
				"Por favor, cambien el número de teléfono que tienen registrado por {phone}.",
				"Mi apellido está mal escrito en mi cuenta de cliente. Es Fernández, con z. ¿Pueden corregirlo?",
				"Actualicen la dirección guardada en mi perfil a {addr}, por favor.",
			}},
			{"rights/deletion", 0, []string{"Eliminar mi cuenta", "Borrar mis datos", "Baja de cliente"}, []string{
				"Por favor, eliminen mi cuenta y todos mis datos personales.",
				"Solicito la supresión de todos los datos que tienen sobre mí. Confírmenme cuando esté hecho.",
				"Quiero cerrar mi cuenta. No voy a volver a comprar.",
				"Borren mis datos, gracias.",
			}},
			{"rights/consent_withdrawal", 0, []string{"Darme de baja", "No quiero más correos", "Retiro mi consentimiento", ""}, []string{
				"Dejen de enviarme correos publicitarios. Quiero darme de baja del boletín.",
				"Retiro mi consentimiento para que usen mis datos con fines comerciales.",
				"Baja, por favor.",
				"No quiero recibir más mensajes ni SMS promocionales.",
			}},
			{"rights/complaint", 0, []string{"Reclamación por mis datos", "Filtración de datos", "Queja de privacidad"}, []string{
				"Desde que compré en su tienda recibo llamadas de spam de gente que sabe mi nombre y lo que compré. Han filtrado mi número de teléfono. Presento una reclamación.",
				"Han cedido mi dirección a otra empresa sin mi consentimiento. Esto incumple su política de privacidad.",
				"Pedí que borraran mis datos hace un mes y no han hecho nada. Voy a reclamar ante la agencia de protección de datos.",
			}},
		},
	}
}

func frPack() *pack {
	return &pack{
		code: "fr", variant: "fr", charset: "iso-8859-1",
		greet:   []string{"Bonjour,", "Bonjour Madame, Monsieur,", "Bonsoir,", "Bonjour l'équipe,"},
		closing: []string{"Merci,", "Cordialement,", "Bien à vous,", "Merci d'avance,"},
		names:   []string{"Camille Dubois|camille.dubois", "Julien Moreau|jmoreau", "Chloé Laurent|chloe.l", "Nicolas Petit|npetit", "Sophie Bernard|sbernard"},
		sent:    []string{"Envoyé de mon iPhone", "Envoyé depuis mon mobile"},
		quote: func(r *rand.Rand, t time.Time, who string) string {
			return fmt.Sprintf("Le %s, %s a écrit :", t.Format("02/01/2006 à 15:04"), who)
		},
		shopRe: []string{
			"Bonjour,\nMerci pour votre message. Nous vous répondrons sous un jour ouvré.\nConformément à notre politique de confidentialité, vous pouvez demander l'accès, la rectification ou la suppression de vos données.\nLe service client",
			"Bonjour,\nVotre commande {order} a été expédiée. Numéro de suivi : {track}.",
		},
		jewelry: []string{"bracelet en argent", "bracelet en jade", "bague en argent", "collier de perles", "collier prénom gravé"},
		house:   []string{"tire-bouchon", "égouttoir à vaisselle", "porte-gobelet vélo", "dessous de couvercle en silicone", "bonnet thermique", "corde à mâcher pour chien", "panier pour chat", "support téléphone pour casque"},
		addrs:   []string{"12 rue des Lilas, 75020 Paris", "8 place Bellecour, 69002 Lyon", "24 rue Nationale, 59000 Lille"},
		disc:    []string{"Ce message et toutes les pièces jointes sont confidentiels et établis à l'intention exclusive de ses destinataires. Si vous avez reçu ce message par erreur, merci de le détruire et d'en avertir immédiatement l'expéditeur."},
		extra: map[string][]string{
			"product":   {"C'est pour un cadeau."},
			"logistics": {"Le numéro de commande est {order}."},
			"rights":    {"Mon numéro de commande était {order}."},
		},
		counts: euCounts,
		items: []item{
			{"product", 'x', []string{"Question taille", "Quelle taille choisir ?", "Argent noirci", "Gravure"}, []string{
				"Question taille || Quelle taille choisir ? => Je voudrais commander le {product} mais j'hésite sur la taille. Mon tour de poignet fait 15 cm, vous me conseillez S ou M ?",
				"Argent noirci || Entretien => Ma bague en argent a noirci au bout de trois semaines. Comment la nettoyer sans abîmer la pierre ?",
				"Gravure || Question => Est-il possible de graver un prénom à l'intérieur de la bague ? Combien de caractères maximum ?",
				"Conseils d'entretien || Entretien de l'argent => J'ai supprimé par erreur le mail avec les conseils d'entretien. Pourriez-vous me les renvoyer pour mon collier en argent ?",
			}},
			{"product", 'h', []string{"Tire-bouchon cassé", "Compatibilité guidon", "Lavage du panier"}, []string{
				"Tire-bouchon cassé || Garantie ? => Le tire-bouchon s'est cassé à la deuxième utilisation. Est-il garanti ?",
				"Compatibilité guidon || Question => Le porte-gobelet s'adapte-t-il à un guidon de 31,8 mm ?",
				"Lavage du panier || Question => Le panier pour chat passe-t-il en machine ?",
			}},
			{"logistics", 0, []string{"Où est ma commande ?", "Suivi de colis", "Colis non reçu", "Réclamation livraison", "Changer l'adresse de livraison"}, []string{
				"Où est ma commande ? || Suivi de colis => J'ai passé la commande {order} il y a dix jours et le suivi n'a pas bougé. Est-elle bien partie ?",
				"Colis non reçu || Livré mais pas reçu => Le suivi {track} indique livré mais je n'ai rien reçu.",
				"Délai de livraison || Douane => Combien de temps pour une livraison en France ? Y a-t-il des frais de douane ?",
				"Réclamation livraison || Colis en retard => Je fais une réclamation : le colis a trois semaines de retard et personne ne me répond. Commande {order}.",
				"Changer l'adresse de livraison || Commande {order} => Pouvez-vous modifier l'adresse de livraison de la commande {order} ? Elle n'est pas encore expédiée. Merci de l'envoyer au {addr}.",
				"Expédition || Suivi => Quand ma commande sera-t-elle expédiée ?",
			}},
			{"other", 0, []string{"Revendeur", "Merci !"}, []string{
				"Nous avons une boutique à Bordeaux et aimerions revendre vos bracelets. Proposez-vous des tarifs de gros ?",
				"Merci beaucoup, le bracelet est magnifique !",
			}},
			{"rights/access", 0, []string{"Demande d'accès à mes données", "Mes données personnelles", "Droit d'accès"}, []string{
				"Je souhaite savoir quelles données personnelles vous détenez sur moi. Merci de m'en envoyer une copie.",
				"Quelles informations me concernant conservez-vous et à qui les avez-vous transmises ?",
				"J'exerce mon droit d'accès : merci de me communiquer toutes mes données personnelles.",
			}},
			{"rights/correction", 0, []string{"Rectification de mes données", "Nouveau numéro de téléphone", "Erreur sur mon nom"}, []string{
				"Merci de remplacer le numéro de téléphone enregistré dans votre fichier par le {phone}.",
				"Mon nom est mal orthographié dans mon compte client : c'est Laurent avec un t. Pouvez-vous le corriger ?",
				"Veuillez mettre à jour l'adresse enregistrée sur mon profil : {addr}.",
			}},
			{"rights/deletion", 0, []string{"Suppression de mon compte", "Effacer mes données", "Fermer mon compte"}, []string{
				"Merci de supprimer mon compte et toutes mes données personnelles.",
				"Je demande l'effacement de toutes les données me concernant. Merci de me confirmer la suppression.",
				"Je souhaite fermer mon compte, je ne commanderai plus.",
				"Supprimez mes données svp.",
			}},
			{"rights/consent_withdrawal", 0, []string{"Désabonnement", "Plus de mails", "Retrait du consentement", ""}, []string{
				"Merci de ne plus m'envoyer de mails publicitaires. Je veux me désabonner de la newsletter.",
				"Je retire mon consentement à l'utilisation de mes données à des fins de marketing.",
				"Désinscription svp.",
				"Je ne veux plus recevoir de SMS promotionnels.",
			}},
			{"rights/complaint", 0, []string{"Réclamation données personnelles", "Fuite de mes données", "Plainte"}, []string{
				"Depuis ma commande je reçois des appels de démarchage de gens qui connaissent mon nom et mon achat. Vous avez divulgué mon numéro de téléphone. Je dépose une réclamation.",
				"Vous avez transmis mon adresse à une autre société sans mon consentement. C'est contraire à votre politique de confidentialité.",
				"J'ai demandé la suppression de mes données il y a un mois, sans réponse. Je vais saisir la CNIL.",
			}},
		},
	}
}

func itPack() *pack {
	return &pack{
		code: "it", variant: "it", charset: "iso-8859-1",
		greet:   []string{"Buongiorno,", "Salve,", "Ciao,", "Gentile servizio clienti,"},
		closing: []string{"Grazie,", "Cordiali saluti,", "Saluti,", "Grazie mille,"},
		names:   []string{"Giulia Rossi|giulia.rossi", "Marco Bianchi|mbianchi", "Francesca Romano|fromano", "Luca Ferrari|luca.ferrari", "Sara Colombo|scolombo"},
		sent:    []string{"Inviato da iPhone", "Inviato dal mio smartphone"},
		quote: func(r *rand.Rand, t time.Time, who string) string {
			return fmt.Sprintf("Il giorno %s %s ha scritto:", t.Format("02/01/2006 alle ore 15:04"), who)
		},
		shopRe: []string{
			"Buongiorno,\ngrazie per averci scritto. Risponderemo entro un giorno lavorativo.\nIn base alla nostra informativa sulla privacy può chiedere l'accesso, la rettifica o la cancellazione dei suoi dati.\nServizio clienti",
			"Buongiorno,\nil suo ordine {order} è stato spedito. Numero di tracciamento: {track}.",
		},
		jewelry: []string{"bracciale in argento", "bracciale di giada", "anello in argento", "collana di perle", "collana con nome inciso"},
		house:   []string{"cavatappi", "scolapiatti", "portabicchiere per bici", "sottopentola in silicone", "cuffia termica", "corda da masticare per cani", "cuccia per gatti", "supporto telefono per casco"},
		addrs:   []string{"Via Roma 21, 20121 Milano", "Corso Vittorio Emanuele 80, 00186 Roma", "Via Toledo 150, 80134 Napoli"},
		extra: map[string][]string{
			"product":   {"È un regalo."},
			"logistics": {"Il numero d'ordine è {order}."},
			"rights":    {"Il mio numero d'ordine era {order}."},
		},
		counts: euCounts,
		items: []item{
			{"product", 'x', []string{"Domanda sulla misura", "Che misura scelgo?", "Argento annerito", "Incisione"}, []string{
				"Domanda sulla misura || Che misura scelgo? => Vorrei ordinare il {product} ma non so quale misura scegliere. Il mio polso misura circa 16 cm, consigliate la S o la M?",
				"Argento annerito || Pulizia => Il mio anello in argento si è annerito dopo tre settimane. Come posso pulirlo senza rovinare la pietra?",
				"Incisione || Domanda => È possibile incidere un nome all'interno dell'anello? Quanti caratteri al massimo?",
				"Tabella misure || Diametro bracciale => Non riesco ad accedere al mio account per vedere la tabella delle misure. Potete dirmi il diametro interno del bracciale medio?",
			}},
			{"product", 'h', []string{"Cavatappi rotto", "Compatibilità manubrio", "Lavaggio cuccia"}, []string{
				"Cavatappi rotto || Garanzia => Il cavatappi si è rotto al secondo utilizzo. È in garanzia?",
				"Compatibilità manubrio || Domanda => Il portabicchiere va bene per un manubrio da 31,8 mm?",
				"Lavaggio cuccia || Domanda => La cuccia per gatti si può lavare in lavatrice?",
			}},
			{"logistics", 0, []string{"Dov'è il mio ordine?", "Stato della spedizione", "Pacco non ricevuto", "Reclamo per ritardo", "Cambio indirizzo di consegna"}, []string{
				"Dov'è il mio ordine? || Stato della spedizione => Ho fatto l'ordine {order} dieci giorni fa e il tracciamento non si aggiorna. È stato spedito?",
				"Pacco non ricevuto || Consegnato ma non ricevuto => Il tracking {track} dice consegnato ma io non ho ricevuto niente.",
				"Tempi di spedizione || Dogana => Quanto ci vuole per la spedizione in Italia? Ci sono costi di dogana?",
				"Reclamo per ritardo || Pacco in ritardo => Voglio fare un reclamo: il pacco è in ritardo di tre settimane e nessuno mi risponde. Ordine {order}.",
				"Cambio indirizzo di consegna || Ordine {order} => Potete cambiare l'indirizzo di consegna dell'ordine {order}? Non è ancora partito. Speditelo a {addr}, grazie.",
				"Spedizione || Stato ordine => Quando spedite il mio ordine?",
			}},
			{"other", 0, []string{"Rivenditore", "Grazie!"}, []string{
				"Abbiamo un negozio a Torino e vorremmo vendere i vostri bracciali. Avete prezzi all'ingrosso?",
				"Grazie mille, la collana è bellissima!",
			}},
			{"rights/access", 0, []string{"Richiesta di accesso ai miei dati", "I miei dati personali", "Diritto di accesso"}, []string{
				"Vorrei sapere quali dati personali conservate su di me. Per favore inviatemene una copia.",
				"Quali informazioni avete su di me e a chi le avete comunicate?",
				"Esercito il mio diritto di accesso: inviatemi tutti i dati personali che mi riguardano.",
			}},
			{"rights/correction", 0, []string{"Rettifica dei dati", "Nuovo numero di telefono", "Nome sbagliato"}, []string{
				"Per favore sostituite il numero di telefono registrato con il {phone}.",
				"Il mio cognome è scritto male nel mio account cliente: è Colombo, non Colombi. Potete correggerlo?",
				"Aggiornate l'indirizzo salvato nel mio profilo: {addr}.",
			}},
			{"rights/deletion", 0, []string{"Cancellazione account", "Cancellare i miei dati", "Chiudere il mio account"}, []string{
				"Vi chiedo di cancellare il mio account e tutti i miei dati personali.",
				"Chiedo la cancellazione di tutti i dati che mi riguardano. Confermatemi quando è fatto.",
				"Voglio chiudere il mio account, non farò altri ordini.",
				"Cancellate i miei dati, grazie.",
			}},
			{"rights/consent_withdrawal", 0, []string{"Disiscrizione", "Basta email", "Revoca del consenso", ""}, []string{
				"Non inviatemi più email pubblicitarie. Voglio disiscrivermi dalla newsletter.",
				"Revoco il consenso all'uso dei miei dati per scopi di marketing.",
				"Cancellatemi dalla mailing list.",
				"Non voglio più ricevere SMS promozionali.",
			}},
			{"rights/complaint", 0, []string{"Reclamo sui miei dati", "Fuga di dati", "Reclamo privacy"}, []string{
				"Da quando ho ordinato da voi ricevo chiamate di spam da gente che conosce il mio nome e il mio acquisto. Avete diffuso il mio numero di telefono. Presento un reclamo.",
				"Avete ceduto il mio indirizzo a un'altra azienda senza il mio consenso. Questo viola la vostra informativa sulla privacy.",
				"Ho chiesto la cancellazione dei miei dati un mese fa e nessuno ha risposto. Farò reclamo al Garante.",
			}},
		},
	}
}
