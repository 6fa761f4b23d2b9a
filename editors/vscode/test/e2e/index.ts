// End-to-end tests, run inside a real VS Code extension host (code-server)
// against the real `grounded` binary, on a copy of fixtures/demo.
// `run()` throwing makes the host exit 1. See test/run.sh.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GroundedApi } from '../../src/extension';

const EXTENSION_ID = 'grounded.grounded';

function log(message: string): void {
  console.log(`TEST ${message}`);
}

/**
 * Polls `probe` until it gives a value: the exact condition the step then
 * asserts. On timeout, `seen` says what there was instead.
 */
async function until<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  seen?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${seen ? ` (seen: ${seen()})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Asks test/harness/ext-host.js for a screenshot once the workbench shows
 * `showing`, and waits until it is taken (the harness writes NAME.png into
 * GROUNDED_E2E_ARTIFACTS, on this same machine).
 */
async function screenshot(name: string, showing: string): Promise<void> {
  const dir = process.env.GROUNDED_E2E_ARTIFACTS;
  const file = dir ? path.join(dir, `${name}.png`) : null;
  if (file) fs.rmSync(file, { force: true });
  log(`screenshot ${name} ${JSON.stringify(showing)}`);
  if (file) await until(`the screenshot ${name}.png`, () => fs.existsSync(file), 30_000);
}

function groundedDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'grounded');
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

type Step = [string, () => Promise<void>];

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const storage = vscode.Uri.file(path.join(folder.uri.fsPath, 'notes', 'storage.py'));
  let api: GroundedApi | undefined;

  const steps: Step[] = [
    [
      'the extension activates on a Python file and starts the server',
      async () => {
        const doc = await vscode.workspace.openTextDocument(storage);
        await vscode.window.showTextDocument(doc);
        const ext = vscode.extensions.getExtension<GroundedApi>(EXTENSION_ID);
        assert.ok(ext, `${EXTENSION_ID} is installed`);
        api = await until('activation', () => (ext.isActive ? ext.exports : null));
        await until('the server to run', () => api?.serverRunning());
        assert.equal(api.serverSettings().trusted, true);
      },
    ],
    [
      'hallucinated calls appear as diagnostics',
      async () => {
        const kinds = ['unresolved-module', 'unresolved-symbol', 'undefined-name', 'unknown-member'];
        const diags = await until(
          'a diagnostic of each kind, json.parse among them',
          () => {
            const d = groundedDiagnostics(storage);
            const codes = new Set(d.map(codeOf));
            return kinds.every((c) => codes.has(c)) && d.some((x) => /json\.parse/.test(x.message)) ? d : null;
          },
          20_000,
          () => groundedDiagnostics(storage).map((d) => `${codeOf(d)}: ${d.message}`).join(' | ') || 'none',
        );
        const codes = new Set(diags.map(codeOf));
        for (const c of kinds) assert.ok(codes.has(c), `a ${c} diagnostic (got ${[...codes].join(', ')})`);
        assert.ok(diags.some((d) => /json\.parse/.test(d.message)), 'json.parse is flagged');
      },
    ],
    [
      'the status bar counts them and opens the Problems view',
      async () => {
        const count = (text: string) => Number(/Grounded: (\d+)/.exec(text)?.[1] ?? NaN);
        const status = await until(
          'the status bar to count the diagnostics',
          () => {
            const s = api?.status();
            return s && count(s.text) === groundedDiagnostics(storage).length ? s : null;
          },
          20_000,
          () => `status bar "${api?.status().text}", ${groundedDiagnostics(storage).length} diagnostics`,
        );
        log(`status bar: ${status.text}`);
        const history = api?.statusHistory() ?? [];
        assert.ok(history.some((t) => /Grounded: indexing/.test(t)), `indexing progress was shown (${history.join(' → ')})`);
        assert.equal(status.action, 'problems');
        assert.equal(count(status.text), groundedDiagnostics(storage).length);
      },
    ],
    [
      'a severity setting reaches the server and changes the diagnostics',
      async () => {
        const config = vscode.workspace.getConfiguration('grounded');
        const isParse = (d: vscode.Diagnostic) => /json\.parse/.test(d.message);
        await config.update('severity', { 'unresolved-symbol': 'warning' }, vscode.ConfigurationTarget.Global);
        await until('json.parse as a warning', () =>
          groundedDiagnostics(storage).some((d) => isParse(d) && d.severity === vscode.DiagnosticSeverity.Warning),
        );
        await config.update('severity', { 'unresolved-symbol': 'off' }, vscode.ConfigurationTarget.Global);
        await until('json.parse turned off', () => !groundedDiagnostics(storage).some(isParse));
        await config.update('severity', undefined, vscode.ConfigurationTarget.Global);
        await until('json.parse back as an error', () =>
          groundedDiagnostics(storage).some((d) => isParse(d) && d.severity === vscode.DiagnosticSeverity.Error),
        );
      },
    ],
    [
      'a quick fix replaces a hallucinated call with a real one',
      async () => {
        const target = groundedDiagnostics(storage).find((d) => /shutil\.copy_file/.test(d.message));
        assert.ok(target, 'shutil.copy_file is flagged');
        const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          storage,
          target.range,
          vscode.CodeActionKind.QuickFix.value,
        );
        const titles = actions.map((a) => a.title);
        const fix = actions.find((a) => /Replace with `.*copyfile`/.test(a.title));
        assert.ok(fix?.edit, `a "Replace with copyfile" fix (got ${titles.join(' | ')})`);
        assert.ok(titles.some((t) => /Ignore/.test(t)), 'an ignore fix is offered too');
        assert.ok(await vscode.workspace.applyEdit(fix.edit));
        const doc = await vscode.workspace.openTextDocument(storage);
        assert.match(doc.getText(), /shutil\.copyfile\(/);
        await until('the fixed diagnostic to go', () => !groundedDiagnostics(storage).some((d) => /copy_file/.test(d.message)));
      },
    ],
    [
      'Copy API Context for AI puts the context on the clipboard',
      async () => {
        const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(storage));
        const line = editor.document.getText().split('\n').findIndex((l) => /json\.(parse|loads)/.test(l));
        const start = editor.document.lineAt(line).firstNonWhitespaceCharacterIndex;
        editor.selection = new vscode.Selection(line, start, line, editor.document.lineAt(line).text.length);
        const result = await vscode.commands.executeCommand<{ text: string; items: unknown[] } | undefined>('grounded.copyContext');
        assert.ok(result && result.text.length > 0, 'the command returns the context');
        assert.match(result.text, /json/, 'the context covers json');
        const clip = await vscode.env.clipboard.readText();
        assert.equal(clip, result.text, 'the clipboard holds the context');
        log(`context: ${result.text.split('\n')[0]} (${result.text.length} chars)`);
      },
    ],
    [
      'Re-index Workspace re-indexes the folder',
      async () => {
        const r = await vscode.commands.executeCommand<{ folders: number }>('grounded.reindex');
        assert.equal(r.folders, 1);
      },
    ],
    [
      'the AI tools are registered and the check tool finds a hallucinated call',
      async () => {
        const names = vscode.lm.tools.map((t) => t.name);
        assert.ok(names.includes('grounded_api_context') && names.includes('grounded_check_code'), `tools: ${names.join(', ')}`);
        const result = await vscode.lm.invokeTool('grounded_check_code', {
          input: { code: 'import json\n\nvalue = json.parse("{}")\nok = json.loads("{}")\n', filePath: 'notes/storage.py' },
          toolInvocationToken: undefined,
        });
        const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
        assert.match(text, /line 3, column \d+: error\[unresolved-symbol\] `json\.parse` does not exist/);
        assert.doesNotMatch(text, /loads` does not exist/);
        const context = await vscode.lm.invokeTool('grounded_api_context', {
          input: { filePath: 'notes/storage.py', line: 31, task: 'read the notes file' },
          toolInvocationToken: undefined,
        });
        const ctx = context.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
        assert.match(ctx, /json/);
      },
    ],
    [
      'the GPU panel shows the server’s GPU status',
      async () => {
        await vscode.commands.executeCommand('grounded.showGpuPanel');
        if (process.env.GROUNDED_E2E_GPU === '1') {
          const device = 'NVIDIA H100 80GB HBM3';
          const summary = await until(
            'the panel to show the replayed GPU and its leak alert',
            () => {
              const s = api?.gpuRendered();
              return s && s.state === 'devices' && s.alerts > 0 && s.devices.includes(device) && api?.serverSettings().gpu.enabled ? s : null;
            },
            30_000,
            () => JSON.stringify({ ...api?.gpuRendered(), text: undefined, gpu: api?.serverSettings().gpu }),
          );
          assert.ok(summary.devices.includes(device), `devices: ${summary.devices.join(', ')}`);
          assert.ok(api?.serverSettings().gpu.enabled, 'the feed runs while the panel is open');
          await screenshot('gpu-panel', `GPU 0 · ${device}`);
        } else {
          // A server without grounded/gpuStatus: the panel says so.
          const missing = /has no GPU status \(grounded\/gpuStatus\)/;
          const summary = await until(
            'the panel to report the missing request',
            () => {
              const s = api?.gpuRendered();
              return s && s.state === 'error' && missing.test(s.text) ? s : null;
            },
            20_000,
            () => JSON.stringify(api?.gpuRendered()),
          );
          assert.match(summary.text, missing);
          await screenshot('gpu-panel', 'has no GPU status');
        }
      },
    ],
    [
      'a crashed server is restarted and diagnostics come back',
      async () => {
        const pid = api?.serverPid();
        assert.ok(pid, 'the server has a pid');
        process.kill(pid, 'SIGKILL');
        await until('the restart to be announced', () => api?.status().text.includes('restarting'), 10_000);
        await until('a new server', () => api?.serverRunning() && api.serverPid() !== pid, 20_000);
        await until('diagnostics from the new server', () => groundedDiagnostics(storage).length >= 4, 20_000);
      },
    ],
    [
      'Restart Server restarts it on demand',
      async () => {
        const pid = api?.serverPid();
        await vscode.commands.executeCommand('grounded.restart');
        await until('a new server', () => api?.serverRunning() && api.serverPid() !== pid);
        await until('diagnostics again', () => groundedDiagnostics(storage).length >= 4);
      },
    ],
  ];

  let failed = 0;
  for (const [name, step] of steps) {
    try {
      await step();
      log(`ok   ${name}`);
    } catch (e) {
      failed++;
      log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
      log(`     status bar so far: ${api?.statusHistory().join(' → ') ?? '(no extension)'}`);
      log(`     status tooltip: ${api?.status().tooltip ?? ''}`);
    }
  }
  if (failed) throw new Error(`${failed} of ${steps.length} end-to-end steps failed`);
}
