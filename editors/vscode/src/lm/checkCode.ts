// Checks a snippet for calls to APIs that do not exist. The language server
// has no request for it, so the snippet is written to a temporary file next
// to the file it is meant for (its imports then resolve as that file's do)
// and checked with `grounded check --format json`; the file is removed
// afterwards.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { CheckDiagnostic, parseCheckReport } from './checkReport';

export interface SnippetCheck {
  binary: string;
  /** The file the snippet is meant for. */
  target: string;
  code: string;
  /** The interpreter to check against (empty: the server's discovery). */
  python: string;
  /** Where `grounded check` runs (the workspace folder). */
  cwd: string;
  timeoutMs?: number;
}

function run(binary: string, args: string[], cwd: string, timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { cwd, timeout: timeoutMs, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`could not run ${binary}: ${error.message}`));
        return;
      }
      resolve({ stdout, stderr, code: error ? Number(error.code) : 0 });
    });
  });
}

export async function checkSnippet(c: SnippetCheck): Promise<CheckDiagnostic[]> {
  const ext = path.extname(c.target) || '.py';
  const tmp = path.join(path.dirname(c.target), `.grounded-check-${randomBytes(6).toString('hex')}${ext}`);
  await fs.writeFile(tmp, c.code, { flag: 'wx' });
  try {
    const args = ['check', '--format', 'json', '--quiet'];
    if (c.python) args.push('--python', c.python);
    args.push(tmp);
    const { stdout, stderr, code } = await run(c.binary, args, c.cwd, c.timeoutMs ?? 30_000);
    if (code === 2) {
      throw new Error(`grounded check failed: ${stderr.trim().split('\n').pop() ?? 'no message'}`);
    }
    const report = parseCheckReport(stdout);
    const own = path.resolve(tmp);
    return report.diagnostics.filter((d) => path.resolve(c.cwd, d.path) === own);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}
