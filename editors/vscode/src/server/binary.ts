// Which `grounded` binary to run: the `grounded.serverPath` setting, else
// the binary shipped in the extension (`bin/grounded`), else `grounded` on
// PATH. Pure: file checks are injected.

import * as path from 'node:path';

export interface BinaryLookup {
  /** `grounded.serverPath`, already resolved (empty: not set). */
  configured: string;
  extensionPath: string;
  /** The PATH environment variable. */
  pathEnv: string;
  platform: NodeJS.Platform;
  /** True when `p` is an executable file. */
  isExecutable: (p: string) => boolean;
}

export type BinaryChoice =
  | { found: true; path: string; source: 'setting' | 'bundled' | 'path' }
  | { found: false; message: string };

export function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'grounded.exe' : 'grounded';
}

export function findServerBinary(l: BinaryLookup): BinaryChoice {
  const name = executableName(l.platform);
  if (l.configured) {
    if (l.isExecutable(l.configured)) return { found: true, path: l.configured, source: 'setting' };
    return {
      found: false,
      message:
        `Grounded: grounded.serverPath is "${l.configured}", which is not an executable file. ` +
        'Fix the setting (the path of the grounded binary, e.g. target/release/grounded in a Grounded checkout) or clear it to use grounded on PATH.',
    };
  }
  const bundled = path.join(l.extensionPath, 'bin', name);
  if (l.isExecutable(bundled)) return { found: true, path: bundled, source: 'bundled' };
  const sep = l.platform === 'win32' ? ';' : ':';
  for (const dir of l.pathEnv.split(sep)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (l.isExecutable(candidate)) return { found: true, path: candidate, source: 'path' };
  }
  return {
    found: false,
    message:
      'Grounded: the grounded language server was not found (no grounded.serverPath setting, no binary in the extension, ' +
      'no grounded on PATH). Install it with `cargo install --locked --path server` from a Grounded checkout, ' +
      'or set grounded.serverPath to the binary.',
  };
}
