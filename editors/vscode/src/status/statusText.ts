// What the status bar item says: the server's state, indexing progress, then
// the number of hallucinated calls Grounded reports. Pure.

export type ServerState = 'starting' | 'running' | 'restarting' | 'stopped' | 'missing';

export interface IndexingProgress {
  title: string;
  message: string | null;
  percentage: number | null;
}

export interface StatusState {
  server: ServerState;
  /** Work-done progress in flight (the last one reported). */
  indexing: IndexingProgress | null;
  /** Grounded diagnostics VS Code holds. */
  findings: number;
  filesWithFindings: number;
  trusted: boolean;
  /** Why the server stopped (a crash, a missing binary). */
  detail: string | null;
}

export type StatusAction = 'problems' | 'restart' | 'settings';

export interface StatusView {
  text: string;
  tooltip: string;
  action: StatusAction;
  /** The item's background: errors for a stopped server. */
  alarm: 'error' | 'warning' | null;
}

const RESTRICTED = 'Restricted mode: this workspace is not trusted, so Grounded never runs its Python interpreter (a cached probe only). Trust the workspace for full results.';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function statusView(s: StatusState): StatusView {
  const shield = s.trusted ? '' : '$(shield) ';
  const trustNote = s.trusted ? '' : `\n\n${RESTRICTED}`;
  switch (s.server) {
    case 'missing':
      return {
        text: '$(error) Grounded: no server',
        tooltip: (s.detail ?? 'The grounded binary was not found.') + '\n\nClick to open the grounded.serverPath setting.',
        action: 'settings',
        alarm: 'error',
      };
    case 'stopped':
      return {
        text: '$(debug-stop) Grounded: stopped',
        tooltip: `${s.detail ?? 'The language server is not running.'}\n\nClick to restart it.`,
        action: 'restart',
        alarm: 'error',
      };
    case 'restarting':
      return {
        text: '$(sync~spin) Grounded: restarting',
        tooltip: s.detail ?? 'The language server exited; restarting it.',
        action: 'restart',
        alarm: 'warning',
      };
    case 'starting':
      return { text: `${shield}$(sync~spin) Grounded: starting`, tooltip: `Starting grounded lsp.${trustNote}`, action: 'problems', alarm: null };
    case 'running':
      break;
  }
  if (s.indexing) {
    const pct = s.indexing.percentage !== null ? ` ${Math.round(s.indexing.percentage)}%` : '';
    const detail = [s.indexing.title, s.indexing.message].filter(Boolean).join(': ');
    return { text: `${shield}$(sync~spin) Grounded: indexing${pct}`, tooltip: `${detail}${trustNote}`, action: 'problems', alarm: null };
  }
  const restricted = s.trusted ? '' : ' (restricted)';
  if (s.findings === 0) {
    return {
      text: `${shield}$(pass) Grounded${restricted}`,
      tooltip: `No hallucinated calls in the open files.${trustNote}`,
      action: 'problems',
      alarm: null,
    };
  }
  return {
    text: `${shield}$(warning) Grounded: ${s.findings}${restricted}`,
    tooltip:
      `${plural(s.findings, 'call', 'calls')} to APIs that do not exist, in ${plural(s.filesWithFindings, 'file', 'files')}. ` +
      `Click to open the Problems view.${trustNote}`,
    action: 'problems',
    alarm: null,
  };
}
