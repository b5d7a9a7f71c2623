package touchpoint

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/parcours-go/parcours/internal/fold"
)

// Channel is a means of contact between the company and the customer. It is
// a string so that users may add their own; the constants below are the
// channels the customer-journey literature names. A channel's canonical form is lower
// case; ParseChannel maps common English and French names onto the constants.
type Channel string

// Well-known channels.
const (
	Web        Channel = "web"        // the website, e-shop, landing pages, blog
	App        Channel = "app"        // the mobile application
	Email      Channel = "email"      // one-to-one and marketing email
	SMS        Channel = "sms"        // text messages
	Social     Channel = "social"     // social networks
	Store      Channel = "store"      // physical point of sale
	Phone      Channel = "phone"      // call center, hotline, voice server
	Newsletter Channel = "newsletter" // periodic mailing
	Ads        Channel = "ads"        // paid advertising, banners, retargeting
	Search     Channel = "search"     // search engines, organic or paid
	Chat       Channel = "chat"       // live chat, instant messaging
	Mail       Channel = "mail"       // postal mail, invoices, delivery notes
	Packaging  Channel = "packaging"  // the parcel, inserts, return labels
	Partner    Channel = "partner"    // resellers, paid service providers, carriers
	Sales      Channel = "sales"      // sales representatives, field sales, agencies
	Product    Channel = "product"    // the product itself and its features
	Event      Channel = "event"      // trade fairs, workshops, webinars
)

// CallCenter is another name for [Phone].
const CallCenter = Phone

// Known lists the well-known channels.
var Known = []Channel{Web, App, Email, SMS, Social, Store, Phone, Newsletter, Ads, Search, Chat, Mail, Packaging, Partner, Sales, Product, Event}

// errSpace marks the one problem ParseChannel mends itself.
var errSpace = errors.New("surrounding space")

// ErrBadChannel is wrapped by the errors of ParseChannel and Channel.Validate.
var ErrBadChannel = errors.New("bad channel")

var channelAliases = func() map[string]Channel {
	m := map[string]Channel{
		"website": Web, "site": Web, "siteweb": Web, "eshop": Web, "internet": Web, "online": Web, "enligne": Web,
		"mobileapp": App, "application": App, "applicationmobile": App, "mobile": App,
		"mail": Mail, "courrier": Mail, "postalmail": Mail, "post": Mail,
		"courriel": Email, "emailing": Email, "email": Email,
		"text": SMS, "textmessage": SMS,
		"socialmedia": Social, "socialnetworks": Social, "reseauxsociaux": Social, "medias sociaux": Social, "mediassociaux": Social,
		"shop": Store, "magasin": Store, "boutique": Store, "pointdevente": Store, "retail": Store,
		"callcenter": Phone, "callcentre": Phone, "hotline": Phone, "telephone": Phone, "centredappel": Phone, "centredappels": Phone,
		"lettredinformation": Newsletter, "bulletindinformation": Newsletter,
		"ad": Ads, "advertising": Ads, "publicite": Ads, "annonces": Ads, "display": Ads, "banner": Ads, "banniere": Ads,
		"seo": Search, "sea": Search, "searchengine": Search, "recherche": Search, "moteurderecherche": Search,
		"livechat": Chat, "messaging": Chat, "messagerie": Chat, "messagerieinstantanee": Chat,
		"emballage": Packaging, "parcel": Packaging, "colis": Packaging,
		"partenaire": Partner, "reseller": Partner, "prestataire": Partner,
		"salesrep": Sales, "commercial": Sales, "vendeur": Sales, "fieldsales": Sales, "agence": Sales,
		"produit":   Product,
		"evenement": Event, "salon": Event, "webinar": Event, "tradefair": Event,
	}
	for _, c := range Known {
		m[fold.Key(string(c))] = c
	}
	return m
}()

// ParseChannel returns the channel named s. Names of the well-known channels
// in English or French ("website", "hotline", "réseaux sociaux", "courriel")
// map onto the constants, ignoring case, accents and punctuation; any other
// name is a custom channel, returned trimmed and in lower case. It fails for
// an empty name and for a name that is not valid UTF-8 or holds control
// characters.
func ParseChannel(s string) (Channel, error) {
	if c, ok := channelAliases[fold.Key(s)]; ok {
		return c, nil
	}
	if err := Channel(s).Validate(); err != nil && !errors.Is(err, errSpace) {
		return "", err
	}
	c := Channel(strings.ToLower(strings.TrimSpace(s)))
	if err := c.Validate(); err != nil {
		return "", err
	}
	return c, nil
}

// MustParseChannel is like ParseChannel but panics on error. It is meant for
// tests and literals.
func MustParseChannel(s string) Channel {
	c, err := ParseChannel(s)
	if err != nil {
		panic(err)
	}
	return c
}

// IsKnown reports whether c is one of the well-known channels.
func (c Channel) IsKnown() bool {
	for _, k := range Known {
		if c == k {
			return true
		}
	}
	return false
}

// String returns the channel's name.
func (c Channel) String() string { return string(c) }

// Validate reports an empty channel, invalid UTF-8, control characters and
// surrounding space. A custom channel need not be lower case.
func (c Channel) Validate() error {
	s := string(c)
	switch {
	case s == "":
		return fmt.Errorf("touchpoint: %w: empty", ErrBadChannel)
	case !utf8.ValidString(s):
		return fmt.Errorf("touchpoint: %w %q: invalid UTF-8", ErrBadChannel, s)
	case strings.TrimSpace(s) != s:
		return fmt.Errorf("touchpoint: %w %q: %w", ErrBadChannel, s, errSpace)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return fmt.Errorf("touchpoint: %w %q: control character", ErrBadChannel, s)
	}
	return nil
}
