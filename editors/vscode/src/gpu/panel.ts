// The GPU panel: a webview fed by `grounded/gpuStatus`. While it is open the
// server's feed runs (the extension asks for it in the settings); with
// `grounded.gpu.enabled` it runs all the time, and a new leak alert raised
// while the panel is closed is shown as a warning.

import * as vscode from 'vscode';
import { errorText, ServerSupervisor } from '../server/supervisor';
import type { FromPanel, RenderSummary, ToPanel } from './messages';
import { panelHtml } from './panelHtml';
import { GpuAlert, readGpuStatus } from './payload';

const VIEW_TYPE = 'grounded.gpu';
/** JSON-RPC "method not found". */
const METHOD_NOT_FOUND = -32601;

export class GpuPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | null = null;
  private ready = false;
  private last: unknown = null;
  private error: string | null = null;
  private readonly seenAlerts = new Set<string>();
  /** What the panel last rendered (for tests). */
  lastRendered: RenderSummary | null = null;
  private readonly renderedListeners = new Set<(s: RenderSummary) => void>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: ServerSupervisor,
    private readonly log: vscode.LogOutputChannel,
    /** The panel opened or closed (the settings sent to the server change). */
    private readonly onOpenChange: () => void,
  ) {}

  get isOpen(): boolean {
    return this.panel !== null;
  }

  onRendered(listener: (s: RenderSummary) => void): vscode.Disposable {
    this.renderedListeners.add(listener);
    return new vscode.Disposable(() => this.renderedListeners.delete(listener));
  }

  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    const assets = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Grounded: GPU', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [assets, media],
    });
    this.panel = panel;
    this.ready = false;
    const webview = panel.webview;
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'gpu.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'gpu.css')).toString(),
    });
    webview.onDidReceiveMessage((m: FromPanel) => this.fromPanel(m));
    panel.onDidDispose(() => {
      this.panel = null;
      this.ready = false;
      this.onOpenChange();
    });
    this.onOpenChange();
    await this.fetchOnce();
  }

  private fromPanel(m: FromPanel): void {
    if (m?.type === 'ready') {
      this.ready = true;
      if (this.last !== null) this.post({ type: 'status', payload: this.last });
      if (this.error !== null) this.post({ type: 'error', message: this.error });
    } else if (m?.type === 'rendered') {
      this.lastRendered = m.summary;
      for (const l of this.renderedListeners) l(m.summary);
    }
  }

  /** One snapshot now, so the panel is not empty until the feed's first push. */
  private async fetchOnce(): Promise<void> {
    try {
      const snapshot = await this.server.request<unknown>('grounded/gpuStatus', {});
      if (this.last === null && snapshot) this.statusArrived(snapshot);
    } catch (e) {
      const code = (e as { code?: unknown })?.code;
      const message =
        code === METHOD_NOT_FOUND
          ? 'This grounded server has no GPU status (grounded/gpuStatus): update grounded to a version with `grounded gpu`.'
          : `Grounded could not read the GPU status: ${errorText(e)}`;
      this.log.warn(message);
      this.error = message;
      this.post({ type: 'error', message });
    }
  }

  /** A `grounded/gpuStatus` notification (or the request's answer). */
  statusArrived(payload: unknown): void {
    this.last = payload;
    this.error = null;
    this.post({ type: 'status', payload });
    if (!this.panel) this.warnAboutNewLeaks(payload);
  }

  /** The server restarted: what the panel shows is history. */
  serverChanged(): void {
    this.last = null;
    this.error = null;
    this.post({ type: 'reset' });
    if (this.panel && this.server.running) void this.fetchOnce();
  }

  private warnAboutNewLeaks(payload: unknown): void {
    const status = readGpuStatus(payload);
    if (!status) return;
    const fresh: GpuAlert[] = [];
    for (const a of status.alerts) {
      if (a.kind !== 'leak-suspected') continue;
      const key = `${a.device}:${a.pid}`;
      if (!this.seenAlerts.has(key)) {
        this.seenAlerts.add(key);
        fresh.push(a);
      }
    }
    for (const a of fresh) {
      void vscode.window.showWarningMessage(`Grounded: ${a.message}`, 'Show GPU Panel').then((pick) => {
        if (pick) void this.show();
      });
    }
  }

  private post(m: ToPanel): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(m);
  }

  dispose(): void {
    this.panel?.dispose();
    this.renderedListeners.clear();
  }
}
