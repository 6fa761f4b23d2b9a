// The status bar item: server state, indexing progress, then the number of
// grounded diagnostics; a click opens the Problems view (or restarts a
// stopped server).

import * as vscode from 'vscode';
import { IndexingProgress, ServerState, StatusState, StatusView, statusView } from './statusText';

export const DIAGNOSTIC_SOURCE = 'grounded';

const ACTIONS: Record<StatusView['action'], vscode.Command> = {
  problems: { title: 'Show Problems', command: 'workbench.actions.view.problems' },
  restart: { title: 'Restart Grounded', command: 'grounded.restart' },
  settings: { title: 'Open Settings', command: 'workbench.action.openSettings', arguments: ['grounded.serverPath'] },
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('grounded.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly indexing = new Map<string, IndexingProgress>();
  private state: StatusState = {
    server: 'starting',
    indexing: null,
    findings: 0,
    filesWithFindings: 0,
    trusted: vscode.workspace.isTrusted,
    detail: null,
  };

  constructor() {
    this.item.name = 'Grounded';
    this.subscriptions.push(vscode.languages.onDidChangeDiagnostics(() => this.countFindings()));
    this.countFindings();
    this.item.show();
  }

  /** The texts the item showed, oldest first (the last 50; for tests). */
  readonly shown: string[] = [];

  /** What the item shows now (for tests). */
  get current(): StatusView {
    return statusView(this.state);
  }

  setServer(server: ServerState, detail: string | null = null): void {
    if (server !== 'running') this.indexing.clear();
    this.update({ server, detail });
  }

  setTrusted(trusted: boolean): void {
    this.update({ trusted });
  }

  progress(token: string, p: IndexingProgress | null): void {
    if (p) this.indexing.set(token, p);
    else this.indexing.delete(token);
    this.update({});
  }

  private countFindings(): void {
    let findings = 0;
    let files = 0;
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      const n = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE).length;
      findings += n;
      if (n) files++;
    }
    this.update({ findings, filesWithFindings: files });
  }

  private update(change: Partial<StatusState>): void {
    const last = [...this.indexing.values()].pop() ?? null;
    this.state = { ...this.state, ...change, indexing: last };
    const view = statusView(this.state);
    if (view.text !== this.item.text) {
      this.shown.push(view.text);
      if (this.shown.length > 50) this.shown.shift();
    }
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = ACTIONS[view.action];
    this.item.backgroundColor =
      view.alarm === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : view.alarm === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
