// usage: node ext-host.js <baseUrl> <folder> <extensionDir> <testsModule> <outDir>
// Runs the extension's end-to-end tests in code-server's Node extension host,
// driven from headless Chromium (the mechanism of @vscode/test-web: the
// extensionDevelopmentPath / extensionTestsPath payload; the workbench calls
// window.codeAutomationExit(code) when the tests finish). A test that logs
// "TEST screenshot NAME "TEXT"" gets a screenshot of the workbench as NAME.png
// once TEXT shows in the workbench or one of its webviews (it waits for the
// file: test/e2e/index.ts, screenshot()).
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

const SCREENSHOT_WAIT_MS = 20000;
const TESTS_TIMEOUT_MS = 180000;

// Whether any frame (the workbench, a webview's nested frames) shows `text`.
async function shows(page, text) {
  for (const frame of page.frames()) {
    const found = await frame
      .evaluate((t) => !!document.body && document.body.innerText.includes(t), text)
      .catch(() => false); // a frame that went away meanwhile
    if (found) return true;
  }
  return false;
}

async function waitUntilShown(page, text, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!(await shows(page, text))) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

(async () => {
  const [base, folder, devPath, testsPath, outDir] = process.argv.slice(2);
  const t0 = Date.now();
  const lap = (m) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
  fs.mkdirSync(outDir, { recursive: true });
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-pw-'));
  const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = ctx.pages()[0] || (await ctx.newPage());
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  const shots = [];
  const problems = [];
  page.on('console', (m) => {
    const t = m.text();
    const i = t.indexOf('TEST ');
    if (i < 0) return;
    const line = t.slice(i);
    console.log('  ' + line.slice(0, 400));
    // The line may go on after the quoted text (VS Code adds where it was logged).
    const shot = /^TEST screenshot (\S+)(?: "([^"]+)")?/.exec(line);
    if (shot) {
      const [, name, text] = shot;
      shots.push(
        (text ? waitUntilShown(page, text, SCREENSHOT_WAIT_MS) : Promise.resolve(true))
          .then(async (shown) => {
            if (!shown) problems.push(`screenshot ${name}: "${text}" not shown within ${SCREENSHOT_WAIT_MS / 1000} s`);
            await page.screenshot({ path: path.join(outDir, `${name}.png`) });
          })
          .catch((e) => problems.push(`screenshot ${name} failed: ${e.message}`)),
      );
    }
  });
  const host = new URL(base).host;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', `vscode-remote://${host}${devPath}`],
    ['extensionTestsPath', `vscode-remote://${host}${testsPath}`],
  ]);
  await page.goto(`${base}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
  lap('workbench loaded');
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), TESTS_TIMEOUT_MS))]);
  lap(code === 'timeout' ? `FAIL the tests did not finish within ${TESTS_TIMEOUT_MS / 1000} s` : `tests finished: ${code}`);
  await Promise.all(shots);
  for (const p of problems) console.log(`  FAIL ${p}`);
  await ctx.close();
  fs.rmSync(udd, { recursive: true, force: true });
  process.exit(code === 0 && problems.length === 0 ? 0 : 1);
})().catch((e) => {
  console.error('FAIL', e);
  process.exit(1);
});
