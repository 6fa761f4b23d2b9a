// usage: node gpu-panel.js <extensionDir> <outDir>
// Renders the GPU panel (its real HTML, CSP, script and stylesheet) in
// headless Chromium with a stub `acquireVsCodeApi`, feeds it a replayed
// trace, checks what it shows, and writes screenshots: the leak trace in a
// dark and a light theme (bare snapshots and notification payloads), and
// the "NVML unavailable" state.
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [extDir, outDir] = process.argv.slice(2);
const { panelHtml } = require(path.join(extDir, 'out/src/gpu/panelHtml.js'));
const trace = fs
  .readFileSync(path.join(extDir, 'test/fixtures/gpu-leak.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const unavailable = JSON.parse(fs.readFileSync(path.join(extDir, 'test/fixtures/gpu-unavailable.jsonl'), 'utf8'));

// A few of VS Code's theme variables, as Dark Modern and Light Modern set them.
const THEMES = {
  dark: {
    'vscode-foreground': '#cccccc', 'vscode-descriptionForeground': '#9d9d9d', 'vscode-editor-background': '#1f1f1f',
    'vscode-panel-border': '#2b2b2b', 'vscode-editorWidget-background': '#202020', 'vscode-errorForeground': '#f85149',
    'vscode-editorWarning-foreground': '#cca700', 'vscode-charts-blue': '#3794ff', 'vscode-charts-green': '#89d185',
    'vscode-charts-purple': '#b180d7', 'vscode-charts-orange': '#d18616', 'vscode-charts-yellow': '#cca700',
    'vscode-charts-red': '#f14c4c', 'vscode-charts-foreground': '#cccccc', 'vscode-badge-background': '#616161',
    'vscode-badge-foreground': '#f8f8f8', 'vscode-inputValidation-errorBackground': '#5a1d1d',
    'vscode-inputValidation-errorBorder': '#be1100', 'vscode-inputValidation-warningBackground': '#352a05',
    'vscode-inputValidation-warningBorder': '#b89500', 'vscode-font-family': 'sans-serif', 'vscode-font-size': '13px',
  },
  light: {
    'vscode-foreground': '#3b3b3b', 'vscode-descriptionForeground': '#717171', 'vscode-editor-background': '#ffffff',
    'vscode-panel-border': '#e5e5e5', 'vscode-editorWidget-background': '#f8f8f8', 'vscode-errorForeground': '#f85149',
    'vscode-editorWarning-foreground': '#bf8803', 'vscode-charts-blue': '#1a85ff', 'vscode-charts-green': '#388a34',
    'vscode-charts-purple': '#652d90', 'vscode-charts-orange': '#d18616', 'vscode-charts-yellow': '#bf8803',
    'vscode-charts-red': '#e51400', 'vscode-charts-foreground': '#616161', 'vscode-badge-background': '#cccccc',
    'vscode-badge-foreground': '#3b3b3b', 'vscode-inputValidation-errorBackground': '#f2dede',
    'vscode-inputValidation-errorBorder': '#be1100', 'vscode-inputValidation-warningBackground': '#f6f5d2',
    'vscode-inputValidation-warningBorder': '#b89500', 'vscode-font-family': 'sans-serif', 'vscode-font-size': '13px',
  },
};

function pageFile(dir, theme) {
  const themeCss = path.join(dir, `theme-${theme}.css`);
  fs.writeFileSync(themeCss, `:root {\n${Object.entries(THEMES[theme]).map(([k, v]) => `  --${k}: ${v};`).join('\n')}\n}\n`);
  let html = panelHtml({
    cspSource: 'file:',
    scriptUri: 'file://' + path.join(extDir, 'dist/webview/gpu.js'),
    styleUri: 'file://' + path.join(extDir, 'media/gpu.css'),
  });
  // The theme comes first, as VS Code's does (from the same allowed source).
  html = html.replace('<link rel="stylesheet"', `<link rel="stylesheet" href="file://${themeCss}">\n<link rel="stylesheet"`);
  const file = path.join(dir, `panel-${theme}.html`);
  fs.writeFileSync(file, html);
  return 'file://' + file;
}

// The notification shape the server sends: {snapshot, history, trends, alerts, source}.
function notification(i) {
  const snap = trace[i];
  const past = trace.slice(0, i + 1);
  const procs = snap.devices[0].processes;
  return {
    snapshot: snap,
    history: {
      devices: [{ index: 0, points: past.map((s) => [s.ts_ms, s.devices[0].memory_used_bytes]) }],
      processes: procs.map((p) => ({
        device: 0, pid: p.pid, start_time: p.start_time, name: p.name,
        points: past.map((s) => [s.ts_ms, s.devices[0].processes.find((q) => q.pid === p.pid).used_memory_bytes]),
      })),
    },
    trends: {
      devices: [{ device: 0, state: i >= 40 ? 'growing' : 'ok', slope_bytes_per_s: 9e7, r2: 0.99, window_s: 80, eta_s: null }],
      processes: procs.map((p) => ({
        device: 0, pid: p.pid, start_time: p.start_time,
        state: p.pid === 4242 ? (i >= 40 ? 'leak-suspected' : i >= 20 ? 'growing' : 'ok') : 'ok',
        slope_bytes_per_s: p.pid === 4242 ? 9e7 : 1.2e3, r2: p.pid === 4242 ? 0.998 : 0.01, window_s: 80,
        eta_s: p.pid === 4242 ? 640 : null,
      })),
    },
    alerts: snap.alerts,
    source: 'replay',
  };
}

async function open(ctx, dir, theme) {
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.addInitScript(() => {
    window.__posted = [];
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(m),
      getState: () => undefined,
      setState: () => undefined,
    });
  });
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(pageFile(dir, theme));
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'), null, { timeout: 10000 });
  return { page, problems };
}

async function feed(page, payloads) {
  await page.evaluate((ps) => {
    for (const p of ps) window.postMessage({ type: 'status', payload: p }, '*');
  }, payloads);
  return page.waitForFunction(
    (n) => {
      const r = window.__posted.filter((m) => m.type === 'rendered').pop();
      return r && r.summary.state !== 'waiting' ? r.summary : null;
    },
    payloads.length,
    { timeout: 10000 },
  ).then((h) => h.jsonValue());
}

function check(cond, what) {
  if (!cond) throw new Error(`GPU panel: ${what}`);
  console.log(`ok   gpu-panel ${what}`);
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-gpu-panel-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
  });
  const ctx = await browser.newContext();
  try {
    // Dark: the bare snapshots of a replay (the panel keeps its own history).
    {
      const { page, problems } = await open(ctx, dir, 'dark');
      const summary = await feed(page, trace);
      check(summary.devices.includes('NVIDIA H100 80GB HBM3'), 'shows the device name');
      check(/NVML unavailable/.test(summary.text) === false, 'is not in the unavailable state');
      check(summary.alerts === 1 && /pid 4242 \(python\) grows 86 MiB\/s/.test(summary.text), 'shows the leak alert');
      check(/leak suspected/.test(summary.text), 'marks pid 4242 as a suspected leak');
      const lines = await page.locator('figure:has(figcaption:text-is("Memory")) path.series').count();
      check(lines >= 3, `draws the memory chart (${lines} lines: device, total, processes)`);
      const points = await page.locator('figure:has(figcaption:text-is("Memory")) path.series.hl').getAttribute('d');
      check(points && points.split('L').length === trace.length, 'plots every reading of the leaking process, highlighted');
      check((await page.locator('figure:has(figcaption:text-is("Utilization")) path.series').count()) === 2, 'draws the utilization chart');
      check((await page.locator('tr.leak').count()) === 1, 'highlights the leaking process row');
      check(/\d+ °C/.test(summary.text) && /W \/ 700 W/.test(summary.text), 'shows temperature and power');
      await page.screenshot({ path: path.join(outDir, 'gpu-panel-dark.png'), fullPage: true });
      check(problems.length === 0, `runs under its CSP with no errors${problems.length ? ': ' + problems.join(' | ') : ''}`);
    }
    // Light: notification payloads with the server's history and trends.
    {
      const { page, problems } = await open(ctx, dir, 'light');
      const summary = await feed(page, [notification(30), notification(59)]);
      check(summary.processes === 2 && /growing/.test(summary.text), 'reads notifications (history, trends)');
      const d = await page.locator('figure:has(figcaption:text-is("Memory")) path.series.hl').getAttribute('d');
      check(d && d.split('L').length === 60, 'takes the memory history from the notification');
      await page.screenshot({ path: path.join(outDir, 'gpu-panel-light.png'), fullPage: true });
      check(problems.length === 0, `light theme: no errors${problems.length ? ': ' + problems.join(' | ') : ''}`);
    }
    // NVML unavailable.
    {
      const { page, problems } = await open(ctx, dir, 'dark');
      const summary = await feed(page, [unavailable]);
      check(summary.state === 'unavailable', 'has an unavailable state');
      check(summary.text.includes('NVML unavailable: libnvidia-ml.so.1: cannot open shared object file'), 'says why NVML is unavailable');
      await page.screenshot({ path: path.join(outDir, 'gpu-panel-unavailable.png'), fullPage: true });
      check(problems.length === 0, 'unavailable: no errors');
    }
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error('FAIL', e.message || e);
  process.exit(1);
});
