// Command departments answers the question seed 000 ends on: where in
// the customer journey does each department's action matter? A company
// designs its journey from the classic conversion funnel (evangelization,
// attraction, consideration, conversion, loyalty), places its touchpoints
// at each step, and says which department owns each one. Some
// departments serve a stage (marketing makes the brand known, the e-shop
// sells, customer care and logistics look after customers once they
// bought), others own a way of interacting used all along the journey
// (social media, emailing and CRM, the product team's website and app),
// and accounting and legal support the others without meeting the
// customer.
//
// Package journey/impact scores every department on the designed
// journey for the four Cs (conversion weighing twice as much as each
// other), and the program prints:
//
//   - the ranking, with how much of the purchase depends on each
//     department and how much it could recover;
//   - where each one's action matters: its score stage by stage, and for
//     the departments that own a channel, that channel's share of the
//     contacts at each stage;
//   - the explanation of every department's place, in plain sentences.
//
// As the seed says, emailing matters most at loyalty, where returning
// customers come back through the offers the CRM team sends them rather
// than through the website, and social media at evangelization,
// attraction and consideration, where the community makes the brand
// known and answers questions.
//
//	go run ./examples/departments
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/parcours-go/parcours/examples/internal/textfmt"
	"github.com/parcours-go/parcours/funnel"
	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/journey/graph"
	"github.com/parcours-go/parcours/journey/impact"
	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "departments:", err)
		os.Exit(1)
	}
}

// priorities weigh the four Cs in the departments' scores.
var priorities = objectives.Mix{Conversion: 2, Connection: 1, Consideration: 1, Knowledge: 1}

const indent = "   "

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("departments", flag.ContinueOnError)
	fs.SetOutput(stdout)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h: the usage is printed
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	m := companyJourney()
	rep, err := score(m)
	if err != nil {
		return err
	}
	printJourney(stdout, m)
	printRanking(stdout, m, rep)
	printWhere(stdout, m, rep)
	printChannels(stdout, m, rep)
	printExplanations(stdout, rep)
	return nil
}

// score ranks the departments of m on its designed journey.
func score(m *journey.Map) (*impact.Report, error) {
	return impact.Score(m, impact.Options{Priorities: priorities})
}

// companyJourney is the company's journey, designed from the classic
// funnel: its steps in each stage, the touchpoints at each step and the
// departments that own them, and the share of customers who go from
// each step to the next (the rest leave).
func companyJourney() *journey.Map {
	m := funnel.Classic().Map("departments")
	m.Description = "An online shop's journey, designed from the classic conversion funnel, with the departments that own its touchpoints."

	tp := func(id, name string, ch touchpoint.Channel, owner string, mix objectives.Mix) touchpoint.Touchpoint {
		return touchpoint.Touchpoint{ID: id, Name: name, Channel: ch, Owner: owner, Objectives: mix}
	}
	conv, conn, cons, know := objectives.Conversion, objectives.Connection, objectives.Consideration, objectives.Knowledge
	m.Catalog = touchpoint.Catalog{
		Departments: []touchpoint.Department{
			{ID: "marketing", Name: "Marketing", Focus: touchpoint.StageFocus, Stages: []string{"evangelization"}},
			{ID: "social", Name: "Social media", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Social}},
			{ID: "crm", Name: "Emailing / CRM", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Email, touchpoint.Newsletter, touchpoint.SMS}},
			{ID: "product", Name: "Product", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Web, touchpoint.App}},
			{ID: "eshop", Name: "E-shop", Focus: touchpoint.StageFocus, Stages: []string{"conversion"}},
			{ID: "customer-care", Name: "Customer care", Focus: touchpoint.StageFocus, Stages: []string{"loyalty"}},
			{ID: "logistics", Name: "Logistics", Focus: touchpoint.StageFocus, Stages: []string{"loyalty"}},
			{ID: "accounting", Name: "Accounting", Focus: touchpoint.SupportFocus},
			{ID: "legal", Name: "Legal", Focus: touchpoint.SupportFocus},
		},
		Touchpoints: []touchpoint.Touchpoint{
			tp("display-ad", "Display ads", touchpoint.Ads, "marketing", objectives.Mix{Consideration: 2, Knowledge: 1}),
			tp("search-ad", "Search ads", touchpoint.Search, "marketing", objectives.MixOf(cons)),
			tp("press", "Press and blog articles", touchpoint.Web, "marketing", objectives.MixOf(cons)),
			tp("friend-post", "Posts shared by friends", touchpoint.Social, "social", objectives.MixOf(cons)),
			tp("brand-page", "The brand's page on social networks", touchpoint.Social, "social", objectives.Mix{Connection: 2, Consideration: 1}),
			tp("community", "Community group: staff and seasoned users answer", touchpoint.Social, "social", objectives.Mix{Consideration: 2, Knowledge: 1}),
			tp("landing-page", "Landing page", touchpoint.Web, "marketing", objectives.Mix{Consideration: 1, Knowledge: 1}),
			tp("home-page", "Home page", touchpoint.Web, "product", objectives.MixOf(cons)),
			tp("product-page", "Product pages", touchpoint.Web, "product", objectives.Mix{Consideration: 2, Conversion: 1}),
			tp("app", "Mobile app", touchpoint.App, "product", objectives.Mix{Consideration: 1, Connection: 1}),
			tp("signup-form", "Newsletter sign-up form", touchpoint.Web, "crm", objectives.Mix{Connection: 2, Knowledge: 1}),
			tp("newsletter", "Newsletter", touchpoint.Newsletter, "crm", objectives.Mix{Consideration: 1, Connection: 1}),
			tp("cart", "Cart and checkout", touchpoint.Web, "eshop", objectives.Mix{Conversion: 2, Knowledge: 1}),
			tp("payment", "Payment provider", touchpoint.Partner, "eshop", objectives.MixOf(conv)),
			tp("confirmation", "Order confirmation page", touchpoint.Web, "eshop", objectives.Mix{Connection: 1, Knowledge: 1}),
			tp("parcel", "The parcel", touchpoint.Packaging, "logistics", objectives.MixOf(cons)),
			tp("delivery-sms", "Delivery text messages", touchpoint.SMS, "logistics", objectives.MixOf(conn)),
			tp("rating-sms", "Delivery rating by text message", touchpoint.SMS, "logistics", objectives.Mix{Knowledge: 2, Consideration: 1}),
			tp("hotline", "Hotline", touchpoint.Phone, "customer-care", objectives.Mix{Consideration: 1, Knowledge: 1}),
			tp("chat", "Live chat", touchpoint.Chat, "customer-care", objectives.MixOf(cons)),
			tp("offer-email", "Loyalty offer email", touchpoint.Email, "crm", objectives.Mix{Conversion: 1, Connection: 1}),
			tp("offer-link", "Personal offer page, from the email", touchpoint.Email, "crm", objectives.MixOf(conv)),
			tp("one-click", "One-click reorder, from the email", touchpoint.Email, "crm", objectives.MixOf(conv)),
		},
	}
	step := func(id, name, stage string, tps []string, goals ...objectives.Objective) journey.Step {
		return journey.Step{ID: id, Name: name, Stage: stage, Touchpoints: tps, Goals: goals}
	}
	m.Steps = []journey.Step{
		step("sees-post", "Sees a post shared by a friend", "evangelization", []string{"friend-post"}),
		step("sees-ad", "Sees an ad", "evangelization", []string{"display-ad", "search-ad"}),
		step("reads-article", "Reads an article about the brand", "evangelization", []string{"press"}),
		step("follows-brand", "Follows the brand on social networks", "attraction", []string{"brand-page"}, conn),
		step("visits-site", "Visits the website", "attraction", []string{"landing-page", "home-page", "app"}),
		step("asks-community", "Asks the community a question", "consideration", []string{"community"}, cons, know),
		step("browses", "Browses the products", "consideration", []string{"product-page", "app"}, cons),
		step("signs-up", "Signs up for the newsletter", "consideration", []string{"signup-form"}, conn, know),
		step("reads-newsletter", "Reads the newsletter", "consideration", []string{"newsletter"}),
		step("checkout", "Fills the cart and checks out", "conversion", []string{"cart", "payment"}),
		step("orders", "Orders: the order is confirmed", "conversion", []string{"confirmation"}, conv),
		step("receives-parcel", "Receives the parcel", "loyalty", []string{"parcel", "delivery-sms"}),
		step("rates-delivery", "Rates the delivery", "loyalty", []string{"rating-sms"}, know),
		step("contacts-care", "Contacts customer care", "loyalty", []string{"hotline", "chat"}),
		step("gets-offer", "Receives a loyalty offer by email", "loyalty", []string{"offer-email"}),
		step("opens-offer", "Opens the personal offer", "loyalty", []string{"offer-link"}),
		step("reorders", "Reorders in one click", "loyalty", []string{"one-click"}, conv),
	}
	t := func(from, to string, p float64) graph.Transition {
		return graph.Transition{From: from, To: to, Probability: p}
	}
	m.Transitions = []graph.Transition{
		// New customers hear of the brand; returning ones come back
		// through the offers emailed to them, rarely through the site, or
		// call customer care with a question.
		t(graph.Start, "sees-post", 0.25),
		t(graph.Start, "sees-ad", 0.3),
		t(graph.Start, "reads-article", 0.1),
		t(graph.Start, "visits-site", 0.05),
		t(graph.Start, "gets-offer", 0.25),
		t(graph.Start, "contacts-care", 0.05),
		t("sees-post", "follows-brand", 0.3),
		t("sees-post", "visits-site", 0.25),
		t("sees-ad", "visits-site", 0.45),
		t("reads-article", "visits-site", 0.4),
		t("reads-article", "follows-brand", 0.1),
		t("follows-brand", "asks-community", 0.3),
		t("follows-brand", "visits-site", 0.3),
		t("visits-site", "browses", 0.6),
		t("asks-community", "browses", 0.5),
		t("asks-community", "visits-site", 0.2),
		t("browses", "checkout", 0.3),
		t("browses", "signs-up", 0.15),
		t("browses", "asks-community", 0.1),
		t("signs-up", "reads-newsletter", 0.7),
		t("signs-up", "browses", 0.2),
		t("reads-newsletter", "browses", 0.4),
		t("checkout", "orders", 0.7),
		t("checkout", "browses", 0.1),
		t("orders", "receives-parcel", 1),
		t("receives-parcel", "rates-delivery", 0.3),
		t("receives-parcel", "contacts-care", 0.15),
		t("receives-parcel", "gets-offer", 0.4),
		t("rates-delivery", "gets-offer", 0.5),
		t("contacts-care", "browses", 0.3),
		t("contacts-care", "gets-offer", 0.2),
		t("gets-offer", "opens-offer", 0.3),
		t("opens-offer", "reorders", 0.5),
		t("opens-offer", "browses", 0.2),
	}
	return &m
}

// printJourney writes the stages and steps of the journey, with the
// departments at each step.
func printJourney(w io.Writer, m *journey.Map) {
	fmt.Fprintf(w, "A company's journey, designed from the classic funnel: %d stages, %d steps, %d touchpoints, %d departments.\n",
		len(m.Stages), len(m.Steps), len(m.Catalog.Touchpoints), len(m.Catalog.Departments))
	fmt.Fprintf(w, "\n1. The journey, stage by stage, with the departments whose touchpoints are at each step\n\n")
	tb := textfmt.NewTable("<STAGE", "<STEP", "<DEPARTMENTS (CHANNELS)")
	for _, st := range m.Stages {
		name := st.Name
		for _, s := range m.StepsIn(st.ID) {
			// Each owner once, with its channels at the step.
			var owners []string
			channels := map[string][]string{}
			for _, id := range s.Touchpoints {
				tp, _ := m.Catalog.Touchpoint(id)
				if _, ok := channels[tp.Owner]; !ok {
					owners = append(owners, tp.Owner)
				}
				if !slices.Contains(channels[tp.Owner], string(tp.Channel)) {
					channels[tp.Owner] = append(channels[tp.Owner], string(tp.Channel))
				}
			}
			for i, o := range owners {
				owners[i] = fmt.Sprintf("%s (%s)", departmentName(m, o), strings.Join(channels[o], ", "))
			}
			tb.Add(name, s.Name, strings.Join(owners, ", "))
			name = ""
		}
	}
	tb.Print(w, indent)
}

func departmentName(m *journey.Map, id string) string {
	if d, ok := m.Catalog.Department(id); ok && d.Name != "" {
		return d.Name
	}
	return id
}

// printRanking writes the departments, best score first.
func printRanking(w io.Writer, m *journey.Map, r *impact.Report) {
	o, _ := r.Objective(objectives.Conversion)
	fmt.Fprintf(w, "\n2. The departments ranked by their impact on the journey\n")
	textfmt.Wrap(w, fmt.Sprintf("SCORE: the department's share of all that could be recovered for the four Cs, conversion weighing 2 and connection, consideration and knowledge 1 each. Then for the purchase (%s of the customers reach it): DEPENDENCE, the share lost without the department's touchpoints; RECOVERABLE, the points gained, to first order, if its steps kept every customer they lose.", textfmt.Percent(o.Reach)), indent)
	fmt.Fprintln(w)
	tb := textfmt.NewTable("RANK", "<DEPARTMENT", "<FOCUS", "SCORE", "DEPENDENCE", "RECOVERABLE")
	for _, d := range r.Departments {
		c, _ := d.Objective(objectives.Conversion)
		tb.Add(strconv.Itoa(d.Rank), departmentName(m, d.ID), d.Focus.String(), textfmt.Percent(d.Score), textfmt.Percent(c.Dependence), fmt.Sprintf("%.3f", c.Recoverable))
	}
	tb.Print(w, indent)
}

// stageScores returns a department's score at each stage of the map, in
// the map's order.
func stageScores(m *journey.Map, d *impact.DepartmentReport) []float64 {
	out := make([]float64, len(m.Stages))
	for _, st := range d.Stages {
		for k, s := range m.Stages {
			if s.ID == st.Stage {
				out[k] = st.Score
			}
		}
	}
	return out
}

// printWhere writes each department's score stage by stage.
func printWhere(w io.Writer, m *journey.Map, r *impact.Report) {
	fmt.Fprintf(w, "\n3. Where each department's action matters: its score at each stage\n")
	textfmt.Wrap(w, "Each row splits the department's score among the stages, in points of the company's total; MOST is the stage where its action matters most.", indent)
	fmt.Fprintln(w)
	cols := []string{"<DEPARTMENT"}
	for _, s := range m.Stages {
		cols = append(cols, strings.ToUpper(s.Name))
	}
	tb := textfmt.NewTable(append(cols, "<MOST")...)
	for _, d := range r.Departments {
		row := []string{departmentName(m, d.ID)}
		best, most := 0.0, "-"
		for k, x := range stageScores(m, &d) {
			cell := ""
			if x > 0 {
				cell = strconv.FormatFloat(100*x, 'f', 1, 64)
			}
			if x > best {
				best, most = x, m.Stages[k].Name
			}
			row = append(row, cell)
		}
		tb.Add(append(row, most)...)
	}
	tb.Print(w, indent)
}

// printChannels writes, for each channel-focused department, the share
// of the contacts at each stage that go through its channels.
func printChannels(w io.Writer, m *journey.Map, r *impact.Report) {
	fmt.Fprintf(w, "\n4. The channels' share of the contacts at each stage\n")
	textfmt.Wrap(w, "For the departments that own a way of interacting: the share of all the contacts customers have at each stage that go through their channels.", indent)
	fmt.Fprintln(w)
	cols := []string{"<DEPARTMENT"}
	for _, s := range m.Stages {
		cols = append(cols, strings.ToUpper(s.Name))
	}
	tb := textfmt.NewTable(cols...)
	var owned []string
	for _, d := range r.Departments {
		if d.Focus != touchpoint.ChannelFocus {
			continue
		}
		row := []string{departmentName(m, d.ID)}
		for _, s := range m.Stages {
			cell := ""
			for _, st := range d.Stages {
				if st.Stage == s.ID && st.Channel != nil {
					cell = textfmt.Percent(*st.Channel)
				}
			}
			row = append(row, cell)
		}
		tb.Add(row...)
		var chans []string
		for _, c := range d.Channels {
			chans = append(chans, string(c))
		}
		owned = append(owned, fmt.Sprintf("%s: %s", departmentName(m, d.ID), strings.Join(chans, ", ")))
	}
	tb.Print(w, indent)
	textfmt.Wrap(w, "Their channels: "+strings.Join(owned, "; ")+".", indent)
}

// printExplanations writes why each department ranks where it does.
func printExplanations(w io.Writer, r *impact.Report) {
	fmt.Fprintf(w, "\n5. Why each department ranks where it does\n")
	for _, d := range r.Departments {
		fmt.Fprintln(w)
		for i, s := range r.Explain(d.ID) {
			in := indent + "  "
			if i == 0 {
				in = indent
			}
			textfmt.Wrap(w, s, in)
		}
	}
}
