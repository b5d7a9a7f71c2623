package touchpoint_test

import (
	"fmt"

	"github.com/parcours-go/parcours/objectives"
	"github.com/parcours-go/parcours/touchpoint"
)

func ExampleParseChannel() {
	for _, name := range []string{"Hotline", "réseaux sociaux", "e-mail", "Podcast"} {
		c, _ := touchpoint.ParseChannel(name)
		fmt.Printf("%-16q %-8s known=%v\n", name, c, c.IsKnown())
	}
	// Output:
	// "Hotline"        phone    known=true
	// "réseaux sociaux" social   known=true
	// "e-mail"         email    known=true
	// "Podcast"        podcast  known=false
}

func ExampleCatalog_Validate() {
	c := touchpoint.Catalog{
		Departments: []touchpoint.Department{
			{ID: "crm", Focus: touchpoint.ChannelFocus, Channels: []touchpoint.Channel{touchpoint.Email}},
		},
		Touchpoints: []touchpoint.Touchpoint{
			{ID: "newsletter", Channel: touchpoint.Newsletter, Owner: "crm", Objectives: objectives.MixOf(objectives.Connection)},
			{ID: "cart", Channel: touchpoint.Web, Owner: "ops"},
			{ID: "cart", Channel: "", Owner: "crm"},
		},
	}
	fmt.Println(c.Validate())
	// Output:
	// touchpoints[1] "cart": owner: unknown department "ops"
	// touchpoints[2] "cart": channel: touchpoint: bad channel: empty
	// touchpoints[2] "cart": duplicate touchpoint id "cart"
}
