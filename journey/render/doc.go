// Package render draws journeys: Mermaid and Graphviz DOT diagrams to
// paste into documentation, and self-contained SVG journey maps and HTML
// reports to read, print and share, with no dependency beyond the standard
// library and nothing loaded from outside the page.
//
// # The pictures
//
//   - [MermaidJourney]: a Mermaid journey diagram of a [journey.Map] as a
//     persona lives it. Sections are the map's stages, tasks its steps,
//     each scored with the persona's emotion on Mermaid's 1–5 scale (the
//     persona's empathy map, else the step's designed emotion), and the
//     actors of each task are the departments that own the step's
//     touchpoints, or the persona ([JourneyOptions]).
//   - [MermaidFlowchart] and [DOT]: the routes of a [FlowGraph], a plain
//     graph of journey states that [MapFlow] builds from a Map: steps in
//     one box per stage, the start, exit and conversion states, and edges
//     labelled with their probabilities. Absorbing states are drawn as
//     double circles (or double borders), goal steps and friction points
//     with their own shapes and borders, so the pictures read in
//     greyscale.
//   - [GraphFlow]: a journey graph ([graph.Graph], designed with
//     Map.Graph or learned from a log) as a FlowGraph, so that
//     MermaidFlowchart and DOT draw it: its states with their transition
//     probabilities (the unlikely ones hidden if asked), order-k states
//     labelled with their steps joined by arrows, the friction points of
//     [graph.Graph.Friction] marked with their exit and loop rates, and,
//     given the map, the steps named and grouped by stage ([GraphFlowOptions]).
//   - [SVGGraph]: the same FlowGraph drawn by the package itself as a
//     self-contained SVG node-link diagram, the steps one under the other
//     in the journey's order, arcs forward on the right and back (the
//     loops) on the left, each labelled where it enters its node, exits
//     written in the boxes ([DiagramOptions]).
//   - [MermaidSankey]: a Mermaid sankey-beta diagram of plain [Flow] rows
//     (source, target, value). [SankeyOf] makes them from a path flow
//     ([paths.Flow], with SankeyOf): nodes named with their level ("+2 Checkout"), since a
//     sankey cannot loop and a step shows at several levels, and every
//     customer whose path ended flowing into one (end) node. [SVGSankey]
//     draws the same rows as a self-contained SVG sankey.
//   - [SVGMap]: the journey map as designers draw it. Stages are columns,
//     each holding one column per step; rows show the steps, their
//     touchpoints, channels, owning departments, pains and opportunities,
//     what the persona thinks, feels, says and does, and the persona's
//     emotion curve ([MapOptions], [Row]). Given a width, the steps wrap
//     onto bands, one under the other, so a long journey fits a page.
//   - [SVGFunnel]: a funnel chart of a [funnel.Report]: a row per stage with
//     a bar as long as the customers (or attempts) who reached it, its end
//     hatched for those who went no further, the conversion from the
//     previous and from the first stage, and the median time between
//     stages ([FunnelOptions]).
//   - [HTML]: a [Report] of [Section]s on one offline page. [MapReport]
//     makes the sections of a designed journey (overview, a map per
//     persona, contact map, routes, personas, departments and the diagram
//     sources).
//
// # Reports of what customers did
//
// Each analysis of package journey or funnel has a function that makes
// its report section, with a sentence that says how to read it, units and
// percentages: [FunnelSection] (the chart and a table of the stages and
// breakdowns), [RoutesSection] (the most common routes and those that
// reach the goal), [FlowSection] (the path flow as a sankey),
// [GraphSection] (the chance of the goal, must-pass steps, the most
// likely routes, loops, the graph drawn and its diagram sources),
// [FrictionSection] (the friction points and, with a map's emotions, the
// pain points) and [ConformanceSection] (the design against the paths).
// [SectionOptions] name the steps from a map and the goal for the reader.
//
// [JourneyReport] puts them together with the map's own sections on one
// page, led by a summary of the key figures: the design, then the
// analyses given in [Results], then the caller's sections, then the
// reference. Analyses this package does not import (attribution,
// department impact, simulation) join the page as caller's sections
// ([Results.Extra]) holding [Table]s, whose cells may carry bars.
//
// The renderers are functions of their inputs alone: they do not modify
// them, keep no state, and may run concurrently. Options are plain structs
// whose zero value means the documented defaults. Errors start with
// "render:"; bad input returns an error, never a panic (MapFlow and
// GraphFlow alone panic, on a nil map or graph).
//
// Durations are written one way everywhere, by [Duration]: "2 h 5 min",
// "3 d 4 h".
//
// # Text
//
// Every renderer takes arbitrary text, and escapes it for its language:
//
//   - Mermaid reserves characters in each grammar (a journey task ends at
//     ':' or ';', '#' starts a comment, "%%" a comment or directive,
//     keywords such as "title" start statements). They are written as
//     Mermaid entity codes (#58; for ':'), which Mermaid draws as the
//     character itself; flowchart labels are quoted, with #quot;, #lt;,
//     #gt; and #amp; for the characters HTML or the quotes would take.
//   - Mermaid's sankey grammar reads printable ASCII only, and entity codes
//     do not pass there. Other characters are spelt in ASCII (accented
//     Latin letters without their accents, typographic punctuation as its
//     ASCII counterpart) or as '?'; fields with commas or quotes are quoted
//     as in RFC 4180.
//   - DOT strings are quoted, with backslashes, quotes and '&' escaped.
//   - SVG and HTML are escaped as XML, and characters XML forbids are
//     replaced, so every output parses with encoding/xml.
//
// White space and line breaks in names are collapsed into single spaces.
//
// In the SVG pictures, text never overflows its box, nor overlaps other
// text. It is measured with a table of advance widths per character, the
// wider of two font families
// (Liberation Sans, which has the metrics of Arial and Helvetica, and
// DejaVu Sans), the fonts the picture names; lines wrap at spaces, a word
// wider than its box is cut, and each row grows to fit its fullest cell.
//
// # Colours
//
// The map's rows have fills of distinct lightness, so they stay apart when
// printed in greyscale, and meaning never rests on hue alone: every row is
// named in its first cell, pains and opportunities carry patterned
// stripes, the emotion curve's points say their scores, and filled and
// hollow points tell the persona's own emotions from the designed ones.
// The funnel chart's bars are dark on light cells, and the share of a bar
// that went no further is hatched rather than coloured.
//
// # Checks
//
// The package's golden files under testdata/ are the reference outputs;
// the project's CI parses and draws every Mermaid file with Mermaid itself
// in headless Chromium, has Graphviz read every DOT file, and renders the
// HTML reports and SVG pictures to check that they are not blank, load
// nothing from outside, that the text of every map and funnel cell lies
// inside its box, and that at 1,400 pixels the pages do not scroll
// sideways, no labels of a graph or sankey overlap and no number covers
// its bar.
package render
