// Package persona models the customers a journey is designed for: buyer
// personas, their empathy maps, and rules that assign real customers to them.
//
// # Personas
//
// A [Persona] is a fictional target customer with the attributes the seed
// documents list: segment ([B2B] or [B2C]), market, age, gender, occupation
// and level of responsibility, income or budget, needs and goals, preferred
// channels, buying behaviours, motivations and brakes; and its share of the
// customers. Channel preferences are odds multipliers (1 neutral, 2 twice as
// likely, 0 never), which is how journey simulation lets a persona shift the
// walk towards the channels it likes.
//
// # Empathy maps
//
// An [Empathy] entry says, for one journey step, what the persona thinks,
// feels, says and does, its pains and gains, and an [Emotion] score from −2
// (very negative) to +2 (very positive), 0 being neutral. Step after step,
// the scores draw the emotion curve of a journey map; [Emotion.Score5] maps
// them onto the 1–5 scale of Mermaid's journey diagrams.
//
// # Assignment rules
//
// [Rules] put a customer into a persona from the customer's properties (the
// Props of journey events, a CRM's fields): each [Rule] lists conditions
// that must all hold, and the first rule that matches wins. Conditions
// compare text ignoring case ([Is], [Contains], [Prefix] …), test presence
// ([Exists], [Missing]) or compare numbers ([Less], [GreaterEq] …).
//
// # JSON
//
// A persona is an object with the fields id, name, description, segment
// ("b2b" or "b2c"), market, share, age, gender, occupation, responsibility,
// income, budget (ranges: {"min", "max"}), currency, needs, goals,
// behaviours, motivations, brakes, channels (an object from channel to
// weight) and empathy (a list of {"step", "thinks", "feels", "says", "does",
// "pains", "gains", "emotion"}). A rule is {"persona", "when": [{"property",
// "op", "values"}]}. Decoding is strict: every unknown field is an error.
package persona
