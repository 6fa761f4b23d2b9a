// The extension's settings → what `grounded lsp` receives, as
// `initializationOptions` and in `workspace/didChangeConfiguration`
// (under a `grounded` key). Pure: the caller reads the configuration.

import * as path from 'node:path';

export const FINDING_CODES = [
  'unresolved-module',
  'unresolved-symbol',
  'unknown-member',
  'undefined-name',
  'removed-api',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
export type SeverityLevel = 'error' | 'warning' | 'info' | 'off';
const LEVELS: readonly string[] = ['error', 'warning', 'info', 'off'];

export interface ExtensionSettings {
  serverPath: string;
  python: string;
  severity: Partial<Record<FindingCode, SeverityLevel>>;
  debounce: number;
  contextBudget: number;
  maxDocumentSize: number;
  gpu: { enabled: boolean; interval: number; replay: string };
}

/** Reads one setting (`section` under `grounded.`), as VS Code's `get`. */
export type SettingReader = (section: string) => unknown;

function asString(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function asNumber(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

export function readSettings(get: SettingReader): ExtensionSettings {
  const severity: ExtensionSettings['severity'] = {};
  const raw = get('severity');
  if (raw && typeof raw === 'object') {
    for (const code of FINDING_CODES) {
      const level = (raw as Record<string, unknown>)[code];
      if (typeof level === 'string' && LEVELS.includes(level)) severity[code] = level as SeverityLevel;
    }
  }
  return {
    serverPath: asString(get('serverPath')),
    python: asString(get('python')),
    severity,
    debounce: Math.round(asNumber(get('debounce'), 50, 0, 10_000)),
    contextBudget: Math.round(asNumber(get('context.budget'), 2000, 100, 1_000_000)),
    maxDocumentSize: Math.round(asNumber(get('maxDocumentSize'), 10_485_760, 1, Number.MAX_SAFE_INTEGER)),
    gpu: {
      enabled: get('gpu.enabled') === true,
      interval: asNumber(get('gpu.interval'), 2, 0.1, 3600),
      replay: asString(get('gpu.replay')),
    },
  };
}

export interface Environment {
  /** `vscode.workspace.isTrusted`. */
  trusted: boolean;
  /** The interpreter selected in the Python extension, when it has one. */
  selectedInterpreter: string | null;
  /** The first workspace folder (relative paths are resolved against it). */
  workspaceRoot: string | null;
  /** The GPU panel is open (the feed runs while it is). */
  gpuPanelOpen: boolean;
  homeDir: string;
}

export interface ServerSettings {
  trusted: boolean;
  debounce: number;
  maxDocumentSize: number;
  severity: Partial<Record<FindingCode, SeverityLevel>>;
  python: string;
  gpu: { enabled: boolean; interval: number; replay: string | null };
}

/** A path from a setting: `~` expanded, relative ones against the workspace. */
export function resolvePath(p: string, env: Pick<Environment, 'workspaceRoot' | 'homeDir'>): string {
  if (p === '~' || p.startsWith('~/')) return path.join(env.homeDir, p.slice(1));
  if (path.isAbsolute(p) || !env.workspaceRoot) return p;
  return path.join(env.workspaceRoot, p);
}

/** A bare command name (`python3`) stays as it is: the server looks it up on PATH. */
function resolveInterpreter(p: string, env: Environment): string {
  return /[/\\]/.test(p) || p.startsWith('.') || p.startsWith('~') ? resolvePath(p, env) : p;
}

export function serverSettings(s: ExtensionSettings, env: Environment): ServerSettings {
  let python = '';
  if (s.python) python = resolveInterpreter(s.python, env);
  else if (env.selectedInterpreter && path.isAbsolute(env.selectedInterpreter)) python = env.selectedInterpreter;
  return {
    trusted: env.trusted,
    debounce: s.debounce,
    maxDocumentSize: s.maxDocumentSize,
    severity: { ...s.severity },
    // An empty string tells the server to find the environment itself.
    python,
    gpu: {
      enabled: s.gpu.enabled || env.gpuPanelOpen,
      interval: s.gpu.interval,
      replay: s.gpu.replay ? resolvePath(s.gpu.replay, env) : null,
    },
  };
}
