package journey_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/parcours-go/parcours/journey"
	"github.com/parcours-go/parcours/touchpoint"
)

// shoeShop is the log of the path analysis examples: five customers of an
// online shoe shop, times in minutes from 9:00 on 1 March 2025.
func shoeShop() *journey.Log {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	var events []journey.Event
	add := func(customer string, minute int, step string, ch touchpoint.Channel) {
		events = append(events, journey.Event{
			Customer: customer, Time: t0.Add(time.Duration(minute) * time.Minute), Step: step, Channel: ch,
		})
	}
	const day = 24 * 60
	add("ann", 0, "ad", touchpoint.Ads)
	add("ann", 5, "product", touchpoint.Web)
	add("ann", 6, "product", touchpoint.Web)
	add("ann", 9, "cart", touchpoint.Web)
	add("ann", 12, "purchase", touchpoint.Web)
	add("ann", 3*day, "newsletter", touchpoint.Email)
	add("ann", 3*day+2, "product", touchpoint.Web)
	add("bob", 0, "search", touchpoint.Search)
	add("bob", 1, "product", touchpoint.Web)
	add("bob", 4, "cart", touchpoint.Web)
	add("bob", 5, "product", touchpoint.Web)
	add("bob", 8, "cart", touchpoint.Web)
	add("bob", 20, "purchase", touchpoint.Web)
	add("cid", 0, "ad", touchpoint.Ads)
	add("cid", 2, "product", touchpoint.Web)
	add("dan", 0, "search", touchpoint.Search)
	add("dan", 1, "product", touchpoint.App)
	add("dan", 3, "cart", touchpoint.App)
	add("eve", 0, "ad", touchpoint.Ads)
	add("eve", 4, "product", touchpoint.Web)
	add("eve", 7, "cart", touchpoint.Web)
	add("eve", 10, "purchase", touchpoint.Web)
	l, err := journey.NewLog(events)
	if err != nil {
		panic(err)
	}
	return l
}

func isPurchase(e journey.Event) bool { return e.Step == "purchase" }

func ExampleLog_Split() {
	// A purchase ends a journey, and so does a day without events.
	journeys, err := shoeShop().Split(journey.SplitOptions{Gap: 24 * time.Hour, Goal: isPurchase})
	if err != nil {
		fmt.Println(err)
		return
	}
	for p := range journeys.Paths() {
		var steps []string
		for _, e := range p.Events {
			steps = append(steps, e.Step)
		}
		fmt.Printf("%s: %s\n", p.Customer, strings.Join(steps, " > "))
	}
	customer, n, _ := journey.SplitCustomer("ann#2", "")
	fmt.Println(customer, n)
	// Output:
	// ann#1: ad > product > product > cart > purchase
	// ann#2: newsletter > product
	// bob#1: search > product > cart > product > cart > purchase
	// cid#1: ad > product
	// dan#1: search > product > cart
	// eve#1: ad > product > cart > purchase
	// ann 2
}

func ExampleLog_GoalVariants() {
	// Routes by channel up to the first purchase, once consecutive
	// contacts on one channel are collapsed (keeping the purchases): three
	// customers came from an ad to the web and two of them bought, after 12
	// and 10 minutes. Durations are those of the cleaned paths: dan's
	// collapsed app contacts leave him one minute.
	clean, err := shoeShop().Clean(journey.CleanOptions{By: journey.ByChannel, Collapse: true, Keep: isPurchase})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range clean.GoalVariants(journey.ByChannel, isPurchase) {
		fmt.Printf("%-13s customers %d, converted %d (%.0f%%), median %v, to purchase %v\n",
			strings.Join(v.Route, " > "), v.Customers, v.Converted, 100*v.Rate, v.Median, v.MedianToGoal)
	}
	// Output:
	// ads > web     customers 3, converted 2 (67%), median 10m0s, to purchase 11m0s
	// search > app  customers 1, converted 0 (0%), median 1m0s, to purchase 0s
	// search > web  customers 1, converted 1 (100%), median 20m0s, to purchase 20m0s
}

func ExampleLog_Flows() {
	// What customers do after their first product page, two steps deep,
	// keeping the most frequent step of each level (ties by name): after
	// product, ann sees a product again, bob, dan and eve go to the cart,
	// and cid leaves.
	f := shoeShop().Flows(journey.FlowOptions{Anchor: "product", Depth: 2, Top: 1})
	fmt.Println("customers:", f.Customers)
	for _, n := range f.Nodes {
		fmt.Printf("level %d: %s %d\n", n.Level, n.Name, n.Count)
	}
	// The links, as the lines of a Mermaid sankey-beta diagram.
	label := func(i int) string { return fmt.Sprintf("%d %s", f.Nodes[i].Level, f.Nodes[i].Name) }
	for _, k := range f.Links {
		fmt.Printf("%s,%s,%d\n", label(k.Source), label(k.Target), k.Count)
	}
	// Output:
	// customers: 5
	// level 0: product 5
	// level 1: cart 3
	// level 1: (other) 1
	// level 1: (end) 1
	// level 2: cart 1
	// level 2: (other) 2
	// level 2: (end) 2
	// 0 product,1 cart,3
	// 0 product,1 (other),1
	// 0 product,1 (end),1
	// 1 cart,2 (other),2
	// 1 cart,2 (end),1
	// 1 (other),2 cart,1
	// 1 (end),2 (end),1
}

func ExampleLog_Flows_backward() {
	// Where customers come from before their first cart.
	f := shoeShop().Flows(journey.FlowOptions{Anchor: "cart", Backward: true, Depth: 2})
	for _, k := range f.Links {
		s, t := f.Nodes[k.Source], f.Nodes[k.Target]
		fmt.Printf("%d %s -> %d %s: %d\n", s.Level, s.Name, t.Level, t.Name, k.Count)
	}
	// Output:
	// -2 search -> -1 product: 2
	// -2 ad -> -1 product: 1
	// -2 product -> -1 product: 1
	// -1 product -> 0 cart: 4
}

func ExampleLog_CountLoops() {
	loops := shoeShop().CountLoops(journey.ByStep, 0)
	for _, lp := range loops.Loops() {
		fmt.Printf("%-10s visits %d, customers %d, repeaters %d, self-loops %d, returns %d\n",
			lp.Name, lp.Visits, lp.Customers, lp.Repeaters, lp.SelfLoops, lp.Returns)
	}
	fmt.Printf("%d of %d customers loop\n", loops.Looping(), loops.Customers())
	// Output:
	// ad         visits 3, customers 3, repeaters 0, self-loops 0, returns 0
	// cart       visits 5, customers 4, repeaters 1, self-loops 0, returns 1
	// newsletter visits 1, customers 1, repeaters 0, self-loops 0, returns 0
	// product    visits 8, customers 5, repeaters 2, self-loops 1, returns 2
	// purchase   visits 3, customers 3, repeaters 0, self-loops 0, returns 0
	// search     visits 2, customers 2, repeaters 0, self-loops 0, returns 0
	// 2 of 5 customers loop
}

func ExampleLog_Clean() {
	// Ads and searches are both acquisition; newsletters are not part of
	// the study; a reloaded page is one visit.
	clean, err := shoeShop().Clean(journey.CleanOptions{
		Patterns: []journey.RenamePattern{{Pattern: "ad|search", To: "acquisition"}},
		Drop:     []string{"newsletter"},
		Collapse: true,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range clean.Variants(journey.ByStep) {
		fmt.Println(v.Customers, strings.Join(v.Route, " > "))
	}
	// Output:
	// 1 acquisition > product
	// 1 acquisition > product > cart
	// 1 acquisition > product > cart > product > cart > purchase
	// 1 acquisition > product > cart > purchase
	// 1 acquisition > product > cart > purchase > product
}
