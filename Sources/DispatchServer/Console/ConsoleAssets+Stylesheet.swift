extension ConsoleAssets {
    /// Plain CSS: system fonts (Noto CJK where installed), high contrast, a visible focus ring,
    /// and an A4 print style for manifests.
    static let stylesheet = #"""
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b5cad; --accent-ink: #ffffff; --bad: #a4000f; --good: #0d6b2f;
  --paper: #ffffff; --shade: #f2f4f7; font-family: system-ui, "Noto Sans CJK JP", "Noto Sans JP", sans-serif; color: var(--ink); }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); line-height: 1.5; }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, [tabindex]:focus, li[role=option]:focus, tr:focus {
  outline: 3px solid #e8a200; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: var(--paper); padding: 4px 8px; z-index: 10; }
header.top { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; padding: .5rem 1rem; background: #12355b; color: #fff; }
header.top a, header.top .link { color: #fff; }
header.top a[aria-current] { font-weight: 700; text-decoration-thickness: 3px; }
.brand { font-weight: 700; }
#console-nav { display: flex; gap: 1rem; }
.account { margin-left: auto; display: flex; gap: 1rem; align-items: center; }
.account form { display: inline; margin: 0; }
button.link { background: none; border: none; padding: 0; text-decoration: underline; cursor: pointer; font: inherit; }
main { padding: 1rem; max-width: 1200px; margin: 0 auto; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 1rem; background: var(--paper); margin-bottom: 1rem; }
.narrow { max-width: 28rem; }
label { display: block; font-weight: 600; margin: .5rem 0 .2rem; }
input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #767676; border-radius: 4px; color: var(--ink); background: #fff; }
input[type=radio], input[type=checkbox] { width: auto; }
.grid input:not([type=radio]):not([type=checkbox]):not([type=number]), .grid select { width: 100%; }
#alternatives li { margin: .3rem 0; }
button { font: inherit; padding: .4rem .9rem; border: 1px solid var(--accent); border-radius: 4px; background: var(--accent); color: var(--accent-ink); cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .5rem 1rem; }
.inline { display: flex; gap: .5rem; align-items: end; flex-wrap: wrap; }
.inline label { margin: 0; }
fieldset { border: 1px solid var(--line); border-radius: 4px; }
fieldset label { display: inline; font-weight: 400; margin-right: 1rem; }
.error { color: var(--bad); font-weight: 600; }
.field-error { color: var(--bad); margin: .2rem 0 0; font-size: .95rem; }
.hint { color: var(--muted); font-size: .9rem; margin: .2rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--shade); }
#answer[data-outcome=accepted] { border-color: var(--good); border-width: 3px; }
#answer[data-outcome=rejected] { border-color: var(--bad); border-width: 3px; }
#promised-window { font-size: 1.6rem; font-weight: 700; }
.combo { position: relative; }
.suggestions { list-style: none; margin: 0; padding: 0; border: 1px solid #767676; border-top: none; max-height: 16rem; overflow-y: auto;
  position: absolute; background: #fff; width: 100%; z-index: 5; }
.suggestions:empty { display: none; }
.suggestions li { padding: .3rem .5rem; cursor: pointer; }
.suggestions li[aria-selected=true] { background: var(--accent); color: var(--accent-ink); }
.suggestions .sub { color: inherit; opacity: .85; font-size: .9em; }
.status { font-weight: 600; }
ul.plain { list-style: none; padding: 0; }
.actions { display: flex; gap: .5rem; flex-wrap: wrap; }
.actions form { margin: 0; }
.map-wrap svg, .timeline-wrap svg { display: block; max-width: 100%; height: auto; }
svg .road { fill: none; stroke: #c8c8c8; stroke-width: 0.8; }
svg .boundary { fill: #f6f6f0; fill-rule: evenodd; stroke: #8a8270; stroke-width: 1; stroke-dasharray: 4 3; }
svg .depot { fill: #333; }
svg .place { fill: #0b5cad; stroke: #fff; stroke-width: 1.5; cursor: pointer; }
svg .place:hover, svg .place.chosen { fill: #e8a200; stroke: #000; }
#map-picker .map-wrap { border: 1px solid var(--line); border-radius: 4px; overflow: auto; cursor: crosshair; margin-top: .5rem; }
#map-picker fieldset { display: inline-block; }
@media print { header.top, .no-print, .skip { display: none; } main { padding: 0; max-width: none; } @page { size: A4; margin: 12mm; } }
"""#
}
