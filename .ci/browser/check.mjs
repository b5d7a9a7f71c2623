// check.mjs renders parcours' pictures in headless Chromium.
//
//	node check.mjs OUT_DIR FILE.mmd|FILE.html|FILE.svg...
//
// 1. Mermaid: every .mmd file is parsed (mermaid.parse) and drawn
//    (mermaid.render) with the mermaid package's browser build. Any error
//    fails the check. OUT_DIR/mermaid.json records, per file, whether it
//    passed, the error, and the texts of the drawn SVG.
// 2. Reports and pictures: every .html and .svg file is opened from disk
//    and screenshot whole to OUT_DIR/NAME.png; for every cell of every
//    journey map and funnel chart in it (<g class="cell">) the box and fill
//    of its <rect> and the box of each <text> are written to
//    OUT_DIR/NAME.boxes.json, with the box of the picture's scrolling
//    frame, every URL the page asked for and any error it logged. A Go
//    test (go test -tags browser ./journey/render) checks these files.
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
  viewport: { width: 1280, height: 900 },
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run',
  ],
});
let failed = 0;
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
      await report.setViewportSize({ width: Math.max(1280, size.width), height: Math.max(900, size.height) });
      await report.screenshot({ path: join(outDir, name + '.png') });
    } else {
      await report.screenshot({ path: join(outDir, name + '.png'), fullPage: true });
    }
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
    writeFileSync(join(outDir, name + '.boxes.json'), JSON.stringify({ page: url, requests, consoleErrors, cells }, null, 1) + '\n');
    console.log(`report ${name}: ${cells.length} cells, ${requests.length} request(s), screenshot ${join(outDir, name + '.png')}`);
    await report.close();
  }
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failed > 0) {
  console.error(`${failed} Mermaid diagram(s) failed`);
  process.exit(1);
}
