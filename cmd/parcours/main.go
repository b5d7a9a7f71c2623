// Command parcours runs the analyses of the parcours library on event files
// and journey maps, without writing Go: funnels, paths, the journey graph,
// attribution, department impact, simulation, map validation and the HTML
// report. Run `parcours help` for the list, `parcours help SUBCOMMAND` for
// one of them.
//
//	go install github.com/parcours-go/parcours/cmd/parcours@latest
//	parcours funnel events.csv --steps visit,cart,checkout --window 7d
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
