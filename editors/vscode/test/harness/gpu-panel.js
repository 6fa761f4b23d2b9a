// usage: node gpu-panel.js <extensionDir> <outDir>
// Renders the GPU panel (its real HTML, CSP, script and stylesheet) in
// headless Chromium with a stub `acquireVsCodeApi`, feeds it a replayed
// trace, checks what it shows, and writes screenshots: the leak trace in a
// dark and a light theme (bare snapshots and notification payloads), the
// "NVML unavailable" state, and edge cases (a device whose total memory
// reads 0, a long command line).
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

// How long the page may take to be ready, or to render what it was sent.
const FEED_TIMEOUT_MS = 30000;

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
      // As servers before 0.1 sent them: a time to full for any positive
      // slope, the steady worker's jitter included (2917 h 26 min); the panel
      // must still show none for a process not suspected of a leak.
      processes: procs.map((p) => ({
        device: 0, pid: p.pid, start_time: p.start_time,
        state: p.pid === 4242 ? (i >= 40 ? 'leak-suspected' : i >= 20 ? 'growing' : 'ok') : 'ok',
        slope_bytes_per_s: p.pid === 4242 ? 9e7 : 1.2e3, r2: p.pid === 4242 ? 0.998 : 0.01, window_s: 80,
        eta_s: p.pid === 4242 ? 640 : 10_502_760,
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
  await page
    .waitForFunction(() => window.__posted.some((m) => m.type === 'ready'), null, { timeout: FEED_TIMEOUT_MS })
    .catch((e) => {
      throw new Error(`GPU panel: the ${theme} page never said ready within ${FEED_TIMEOUT_MS / 1000} s` +
        `${problems.length ? ': ' + problems.join(' | ') : ''} (${e.message.split('\n')[0]})`);
    });
  return { page, problems };
}

// Sends the payloads one animation frame apart, as a live feed arrives (the
// panel renders in between), and returns the summary of the render that
// shows the last of them: the panel counts the `status` messages it received.
async function feed(page, payloads) {
  const n = payloads.length;
  await page.evaluate((ps) => {
    (async () => {
      for (const p of ps) {
        window.postMessage({ type: 'status', payload: p }, '*');
        await new Promise((r) => requestAnimationFrame(r));
      }
    })();
  }, payloads);
  try {
    const handle = await page.waitForFunction(
      (want) => {
        const r = window.__posted.filter((m) => m.type === 'rendered').pop();
        return r && r.summary.received === want ? r.summary : null;
      },
      n,
      { timeout: FEED_TIMEOUT_MS },
    );
    return await handle.jsonValue();
  } catch (e) {
    const last = await page
      .evaluate(() => window.__posted.filter((m) => m.type === 'rendered').pop()?.summary ?? null)
      .catch(() => null);
    const seen = last ? `the last render showed payload ${last.received} (state ${last.state})` : 'nothing was rendered';
    throw new Error(`GPU panel: payload ${n} of ${n} not rendered within ${FEED_TIMEOUT_MS / 1000} s: ${seen} (${e.message.split('\n')[0]})`);
  }
}

// The cells of the process table's row for `pid`, by column header.
async function processRow(page, pid) {
  return page.evaluate((want) => {
    const table = document.querySelector('table.processes');
    if (!table) return null;
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    for (const tr of table.querySelectorAll('tbody tr')) {
      const cells = [...tr.children];
      if (cells[heads.indexOf('PID')]?.textContent !== String(want)) continue;
      const row = {};
      heads.forEach((h, i) => (row[h || 'swatch'] = cells[i].textContent));
      const cmd = cells[heads.indexOf('Command')];
      const style = getComputedStyle(cmd);
      row.commandTitle = cmd.getAttribute('title');
      row.commandCut = cmd.scrollWidth > cmd.clientWidth;
      row.commandEllipsis = style.textOverflow === 'ellipsis' && style.overflow === 'hidden';
      return row;
    }
    return null;
  }, pid);
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
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
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
      const leak = await processRow(page, 4242);
      const steady = await processRow(page, 4343);
      check(leak && leak['Full in'] === '11 min', `gives the leaking process its time until full (${leak && leak['Full in']})`);
      check(steady && steady.Trend === 'steady' && steady['Full in'] === '—',
        `gives a steady process no time until full (${steady && steady['Full in']})`);
      check(steady.commandTitle === 'python worker.py --queue jobs', `has the command line as the Command cell's tooltip (${steady.commandTitle})`);
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
    // Edge cases: a device whose total memory reads 0, a command line too long for its column.
    {
      const { page, problems } = await open(ctx, dir, 'dark');
      const cmdline = 'python -m vllm.entrypoints.openai.api_server ' + Array.from({ length: 24 }, (_, i) => `--option-${i} value-${i}`).join(' ');
      const snap = structuredClone(trace[0]);
      snap.devices[0].memory_total_bytes = 0;
      snap.devices[0].processes[0].cmdline = cmdline;
      const summary = await feed(page, [snap]);
      const memory = await page.locator('.tile:has(.tile-label:text-is("Memory")) .tile-value').textContent();
      check(/\(—\)$/.test(memory), `shows no share of a total of 0 (${memory})`);
      check(!/\b(inf|nan|infinity)\b/i.test(summary.text), 'shows no inf or NaN anywhere');
      const row = await processRow(page, 4242);
      check(row.commandCut && row.commandEllipsis, 'cuts a long command line with an ellipsis');
      check(row.commandTitle === cmdline, 'has the whole long command line as the tooltip');
      await page.screenshot({ path: path.join(outDir, 'gpu-panel-edge.png'), fullPage: true });
      check(problems.length === 0, 'edge cases: no errors');
    }
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch((e) => {
  console.error('FAIL', e.message || e);
  process.exit(1);
});
