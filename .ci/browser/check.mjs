// check.mjs renders parcours' pictures in headless Chromium.
//
//	node check.mjs OUT_DIR FILE.mmd|FILE.html|FILE.svg...
//
// 1. Mermaid: every .mmd file is parsed (mermaid.parse) and drawn
//    (mermaid.render) with the mermaid package's browser build. Any error
//    fails the check. OUT_DIR/mermaid.json records, per file, whether it
//    passed, the error, and the texts of the drawn SVG.
// 2. Reports and pictures: every .html and .svg file is opened from disk
//    in a window 1,400 pixels wide. An SVG picture is screenshot whole to
//    OUT_DIR/NAME.png; an HTML report to OUT_DIR/NAME-1400.png, and again
//    at 800 pixels wide to OUT_DIR/NAME-800.png. For every cell of every
//    journey map and funnel chart in it (<g class="cell">) the box and fill
//    of its <rect> and the box of each <text> are written to
//    OUT_DIR/NAME.boxes.json, with the box of the picture's scrolling
//    frame, every URL the page asked for and any error it logged; so are
//    the labels of the journey graphs and sankeys (svg.journey-graph,
//    svg.sankey), the bars and numbers of the tables' barred cells, and
//    the problems found at 1,400 pixels: a page or frame that scrolls
//    sideways, two labels of a graph or sankey that overlap, a label
//    outside its picture, a number over its bar. Any problem fails the
//    check. A Go test (go test -tags browser ./journey/render) checks
//    these files.
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM), started with a
// fresh profile and without any background networking.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const [outDir, ...files] = process.argv.slice(2);
const diagrams = files.filter((f) => f.endsWith('.mmd'));
const reports = files.filter((f) => f.endsWith('.html') || f.endsWith('.svg'));
if (!outDir || files.length === 0 || diagrams.length + reports.length !== files.length) {
  console.error('usage: node check.mjs OUT_DIR FILE.mmd|FILE.html|FILE.svg...');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const here = fileURLToPath(new URL('.', import.meta.url));
const mermaidJS = join(here, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

const profile = mkdtempSync(join(tmpdir(), 'parcours-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 900 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
  ],
});
let failed = 0;
let problems = 0;
try {
  // 1. Mermaid.
  const page = await browser.newPage();
  await page.setContent('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ path: mermaidJS });
  const sources = diagrams.map((f) => ({ file: basename(f), text: readFileSync(f, 'utf8') }));
  const results = await page.evaluate(async (sources) => {
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    const out = [];
    let n = 0;
    for (const { file, text } of sources) {
      const r = { file, ok: false, error: '', type: '', texts: [] };
      try {
        const parsed = await mermaid.parse(text);
        r.type = parsed.diagramType;
        const { svg } = await mermaid.render('diagram' + n++, text);
        const holder = document.createElement('div');
        holder.innerHTML = svg;
        document.body.appendChild(holder);
        r.texts = [...holder.querySelectorAll('text, foreignObject')].map((t) => t.textContent.trim()).filter((t) => t !== '');
        holder.remove();
        r.ok = true;
      } catch (e) {
        r.error = String((e && e.message) || e);
      }
      out.push(r);
    }
    return out;
  }, sources);
  for (const r of results) {
    if (r.ok) {
      console.log(`mermaid ok   ${r.file} (${r.type})`);
    } else {
      failed++;
      console.log(`mermaid FAIL ${r.file}: ${r.error}`);
    }
  }
  writeFileSync(join(outDir, 'mermaid.json'), JSON.stringify(results, null, 1) + '\n');
  await page.close();

  // 2. The HTML reports and the SVG pictures.
  for (const reportPath of reports) {
    const name = basename(reportPath).replace(/\.(html|svg)$/, '');
    const url = pathToFileURL(resolve(reportPath)).href;
    const report = await browser.newPage();
    const requests = [];
    report.on('request', (req) => requests.push(req.url()));
    const consoleErrors = [];
    report.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    report.on('pageerror', (err) => consoleErrors.push(String(err)));
    await report.goto(url, { waitUntil: 'load' });
    if (reportPath.endsWith('.svg')) {
      // A picture alone: the window takes its size (at least the default
      // one), since a whole-page screenshot needs an HTML document.
      const size = await report.evaluate(() => {
        const r = document.documentElement.getBoundingClientRect();
        return { width: Math.ceil(r.width), height: Math.ceil(r.height) };
      });
      await report.setViewportSize({ width: Math.max(1400, size.width), height: Math.max(900, size.height) });
      await report.screenshot({ path: join(outDir, name + '.png') });
    } else {
      await report.screenshot({ path: join(outDir, name + '-1400.png'), fullPage: true });
    }
    const found = reportPath.endsWith('.svg') ? { problems: [], labels: [], bars: [] } : await report.evaluate(() => {
      const box = (el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
      };
      const overlap = (a, b) => Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x) > 0.5 &&
        Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) > 0.5;
      const problems = [];
      const root = document.scrollingElement;
      if (root.scrollWidth > root.clientWidth + 1) {
        problems.push(`the page scrolls sideways: ${root.scrollWidth} px wide in a window of ${root.clientWidth}`);
      }
      for (const el of document.querySelectorAll('.scroll, .table, pre')) {
        if (el.closest('details:not([open])')) continue;
        if (el.scrollWidth > el.clientWidth + 1) {
          const what = el.querySelector('svg, caption, th');
          problems.push(`a ${el.className || el.tagName} frame scrolls sideways (${el.scrollWidth} px in ${el.clientWidth}): ${what ? (what.id || what.textContent.slice(0, 60)) : ''}`);
        }
      }
      const labels = [];
      for (const svg of document.querySelectorAll('svg.journey-graph, svg.sankey')) {
        const frame = box(svg);
        const texts = [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent, ...box(t) }));
        for (const t of texts) {
          labels.push({ picture: svg.id, ...t });
          if (t.x < frame.x - 0.5 || t.y < frame.y - 0.5 || t.x + t.width > frame.x + frame.width + 0.5 || t.y + t.height > frame.y + frame.height + 0.5) {
            problems.push(`${svg.id}: label "${t.text}" lies outside the picture`);
          }
        }
        for (let i = 0; i < texts.length; i++) {
          for (let j = i + 1; j < texts.length; j++) {
            if (overlap(texts[i], texts[j])) problems.push(`${svg.id}: labels "${texts[i].text}" and "${texts[j].text}" overlap`);
          }
        }
      }
      const bars = [];
      for (const td of document.querySelectorAll('td.barred')) {
        const track = td.querySelector('.track') || td.querySelector('.bar');
        const v = td.querySelector('.v');
        if (!track || !v) {
          problems.push(`table cell "${td.textContent}": no bar or no number`);
          continue;
        }
        const b = { text: v.textContent, cell: box(td), track: box(track), value: box(v) };
        bars.push(b);
        if (overlap(b.track, b.value)) problems.push(`table cell "${b.text}": the number overlaps its bar`);
        if (b.value.x + b.value.width > b.cell.x + b.cell.width + 0.5) problems.push(`table cell "${b.text}": the number overflows its cell`);
      }
      return { problems, labels, bars };
    });
    for (const p of found.problems) console.log(`  PROBLEM ${name}: ${p}`);
    problems += found.problems.length;
    const cells = await report.evaluate(() => {
      const box = (el) => {
        const r = el.getBoundingClientRect();
        return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
      };
      return [...document.querySelectorAll('svg.journey-map g.cell, svg.funnel-chart g.cell')].map((g) => {
        const svg = g.closest('svg');
        const frame = svg.closest('.scroll') || svg;
        const rect = g.querySelector('rect');
        return {
          map: svg.id,
          row: g.dataset.row || '',
          step: g.dataset.step || g.dataset.stage || '',
          frame: box(frame),
          rect: box(rect),
          fill: rect.getAttribute('fill'),
          texts: [...g.querySelectorAll('text')].map((t) => ({ text: t.textContent, ...box(t) })),
        };
      });
    });
    writeFileSync(join(outDir, name + '.boxes.json'), JSON.stringify({ page: url, requests, consoleErrors, cells, ...found }, null, 1) + '\n');
    let shots = join(outDir, name + '.png');
    if (!reportPath.endsWith('.svg')) {
      await report.setViewportSize({ width: 800, height: 900 });
      await report.screenshot({ path: join(outDir, name + '-800.png'), fullPage: true });
      shots = `${join(outDir, name + '-1400.png')} and ${join(outDir, name + '-800.png')}`;
    }
    console.log(`report ${name}: ${cells.length} cells, ${found.labels.length} labels, ${found.bars.length} bars, ${found.problems.length} problem(s), ${requests.length} request(s), screenshots ${shots}`);
    await report.close();
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`${failed} Mermaid diagram(s) failed`);
}
if (problems > 0) {
  console.error(`${problems} problem(s) in the reports at 1,400 pixels (see PROBLEM above)`);
}
if (failed > 0 || problems > 0) {
  process.exit(1);
}
