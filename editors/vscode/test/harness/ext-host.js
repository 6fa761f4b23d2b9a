// usage: node ext-host.js <baseUrl> <folder> <extensionDir> <testsModule> <outDir>
// Runs the extension's end-to-end tests in code-server's Node extension host,
// driven from headless Chromium (the mechanism of @vscode/test-web: the
// extensionDevelopmentPath / extensionTestsPath payload; the workbench calls
// window.codeAutomationExit(code) when the tests finish). A test that logs
// "TEST screenshot NAME" gets a screenshot of the workbench as NAME.png.
const { chromium } = require('playwright-core');
const fs = require('fs');
const os = require('os');
const path = require('path');

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
  page.on('console', (m) => {
    const t = m.text();
    const i = t.indexOf('TEST ');
    if (i < 0) return;
    const line = t.slice(i);
    console.log('  ' + line.slice(0, 400));
    const shot = /^TEST screenshot (\S+)/.exec(line);
    if (shot) {
      shots.push(
        new Promise((r) => setTimeout(r, 1000))
          .then(() => page.screenshot({ path: path.join(outDir, `${shot[1]}.png`) }))
          .catch((e) => console.log(`  screenshot ${shot[1]} failed: ${e.message}`)),
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
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 180000))]);
  lap('tests finished: ' + code);
  await Promise.all(shots);
  await ctx.close();
  fs.rmSync(udd, { recursive: true, force: true });
  process.exit(code === 0 ? 0 : 1);
})().catch((e) => {
  console.error('FAIL', e);
  process.exit(1);
});
