// Package funnel models conversion funnels: the broad stages every business
// shares, from first hearing of a brand to buying and coming back.
//
// # Presets
//
// The seed documents name four stage lists, available as presets:
//
//   - [Classic]: evangelization (awareness) → attraction → consideration →
//     conversion → loyalty;
//   - [JourneyMap]: awareness → consideration → acquisition → service → loyalty;
//   - [B2BSales]: contact → qualification → prospecting → purchase → after-sales;
//   - [Buyer]: trigger → information search → evaluation → decision → purchase.
//
// A preset seeds a journey.Map with its stages ([Preset.Map]); the company
// then fills each stage with its own concrete steps.
package funnel
