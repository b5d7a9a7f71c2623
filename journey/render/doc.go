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
//     greyscale. A journey graph learned from data draws the same way once
//     turned into a FlowGraph.
//   - [MermaidSankey]: a Mermaid sankey-beta diagram of plain [Flow] rows
//     (source, target, value), such as path flows step by step.
//   - [SVGMap]: the journey map as designers draw it. Stages are columns,
//     each holding one column per step; rows show the steps, their
//     touchpoints, channels, owning departments, pains and opportunities,
//     what the persona thinks, feels, says and does, and the persona's
//     emotion curve ([MapOptions], [Row]).
//   - [HTML]: a [Report] of [Section]s on one offline page. [MapReport]
//     makes the sections of a designed journey (overview, a map per
//     persona, contact map, routes, personas, departments and the diagram
//     sources); later analyses add theirs as [Table]s and [Picture]s.
//
// The renderers are functions of their inputs alone: they do not modify
// them, keep no state, and may run concurrently. Options are plain structs
// whose zero value means the documented defaults. Errors start with
// "render:"; bad input returns an error, never a panic (MapFlow alone
// panics, on a nil map).
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
// In the SVG map, text never overflows its box. It is measured with a
// table of advance widths per character, the wider of two font families
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
//
// # Checks
//
// The package's golden files under testdata/ are the reference outputs;
// the project's CI parses and draws every Mermaid file with Mermaid itself
// in headless Chromium, has Graphviz read every DOT file, and renders the
// shoe shop's HTML report to check that it is not blank and that the map's
// text lies inside its boxes.
package render
