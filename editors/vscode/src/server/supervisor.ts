// Runs `grounded lsp` through vscode-languageclient: finds the binary,
// starts the client with the settings as `initializationOptions`, restarts
// the server with backoff when it exits on its own, and sends settings
// changes. Everything else talks to the server through `request`.

import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  State,
  WorkDoneProgressBegin,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import { resolvePath, ServerSettings } from '../config/settings';
import { StatusBar } from '../status/statusBar';
import { findServerBinary } from './binary';
import { RestartBackoff } from './backoff';

export const CLIENT_ID = 'grounded';

export interface SupervisorHooks {
  /** The settings to send now. */
  settings(): ServerSettings;
  /** `grounded.serverPath` as written (resolved here). */
  serverPath(): string;
  /** A notification the server pushed (`grounded/gpuStatus`). */
  onGpuStatus(payload: unknown): void;
  /** The client (re)started or stopped. */
  onClientChange(): void;
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

export class ServerSupervisor implements vscode.Disposable {
  private client: LanguageClient | null = null;
  private process: ChildProcess | null = null;
  private readonly backoff = new RestartBackoff();
  private restartTimer: NodeJS.Timeout | null = null;
  /** Incremented by every deliberate start or stop: a late close of an older client is not a crash. */
  private generation = 0;
  private disposed = false;
  binaryPath: string | null = null;

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: StatusBar,
    private readonly hooks: SupervisorHooks,
  ) {}

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** The server's process id while it runs. */
  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  async start(): Promise<void> {
    this.cancelRestart();
    const generation = ++this.generation;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null;
    const configured = this.hooks.serverPath();
    const choice = findServerBinary({
      configured: configured ? resolvePath(configured, { workspaceRoot: folder, homeDir: os.homedir() }) : '',
      extensionPath: this.extensionPath,
      pathEnv: process.env.PATH ?? '',
      platform: process.platform,
      isExecutable,
    });
    if (!choice.found) {
      this.binaryPath = null;
      this.log.error(choice.message);
      this.status.setServer('missing', choice.message);
      void vscode.window.showErrorMessage(choice.message, 'Open Settings').then((pick) => {
        if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'grounded.serverPath');
      });
      return;
    }
    this.binaryPath = choice.path;
    this.log.info(`starting ${choice.path} lsp (${choice.source})`);
    this.status.setServer('starting');
    const client = new LanguageClient(CLIENT_ID, 'Grounded', () => this.spawnServer(choice.path), this.clientOptions(generation));
    this.client = client;
    client.onNotification('grounded/gpuStatus', (payload: unknown) => this.hooks.onGpuStatus(payload));
    try {
      await client.start();
    } catch (e) {
      if (generation !== this.generation) return;
      const message = `Grounded: the language server failed to start: ${errorText(e)}`;
      this.log.error(message);
      this.status.setServer('stopped', message);
      void vscode.window.showErrorMessage(message, 'Show Output').then((pick) => pick && this.log.show());
      return;
    }
    if (generation !== this.generation) return;
    this.backoff.started(Date.now());
    this.status.setServer('running');
    this.hooks.onClientChange();
  }

  private spawnServer(binary: string): Promise<ChildProcess> {
    const child = spawn(binary, ['lsp'], { stdio: 'pipe', env: process.env });
    this.process = child;
    return new Promise((resolve, reject) => {
      child.once('spawn', () => resolve(child));
      child.once('error', (e) => reject(new Error(`cannot run ${binary}: ${e.message}`)));
    });
  }

  private clientOptions(generation: number): LanguageClientOptions {
    return {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'file', language: 'rust' },
      ],
      diagnosticCollectionName: 'grounded',
      outputChannel: this.log,
      initializationOptions: this.hooks.settings(),
      // A failed start is reported once by `start`, not retried.
      initializationFailedHandler: () => false,
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => {
          this.serverClosed(generation);
          return { action: CloseAction.DoNotRestart, handled: true };
        },
      },
      middleware: {
        handleWorkDoneProgress: (token, params, next) => {
          this.trackProgress(String(token), params);
          next(token, params);
        },
      },
    };
  }

  private trackProgress(token: string, p: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): void {
    if (p.kind === 'end') {
      this.status.progress(token, null);
      return;
    }
    const previous = this.progressTitles.get(token);
    const title = p.kind === 'begin' ? p.title : (previous ?? 'Grounded');
    this.progressTitles.set(token, title);
    this.status.progress(token, { title, message: p.message ?? null, percentage: p.percentage ?? null });
  }

  private readonly progressTitles = new Map<string, string>();

  /** The server exited without being asked to. */
  private serverClosed(generation: number): void {
    if (generation !== this.generation || this.disposed) return;
    const code = this.process?.exitCode;
    const signal = this.process?.signalCode;
    const how = signal ? `was killed (${signal})` : code !== null && code !== undefined ? `exited with status ${code}` : 'closed its connection';
    const decision = this.backoff.crashed(Date.now());
    if (!decision.restart) {
      const message = `Grounded: the language server ${how}, and crashed ${decision.crashes} times in a row; it stays stopped. See the Grounded output, then restart it.`;
      this.log.error(message);
      this.status.setServer('stopped', message);
      void vscode.window.showErrorMessage(message, 'Restart Server', 'Show Output').then((pick) => {
        if (pick === 'Restart Server') void this.restart();
        else if (pick === 'Show Output') this.log.show();
      });
      return;
    }
    const seconds = decision.delayMs / 1000;
    const message = `the language server ${how}; restarting in ${seconds} s (attempt ${decision.attempt})`;
    this.log.warn(message);
    this.status.setServer('restarting', `Grounded: ${message}.`);
    this.hooks.onClientChange();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (generation !== this.generation || this.disposed) return;
      const old = this.client;
      this.client = null;
      void old?.dispose().catch(() => undefined);
      void this.start();
    }, decision.delayMs);
  }

  private cancelRestart(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  async stop(): Promise<void> {
    this.cancelRestart();
    this.generation++;
    const client = this.client;
    this.client = null;
    this.process = null;
    this.progressTitles.clear();
    if (client) {
      try {
        if (client.state === State.Running || client.state === State.Starting) await client.stop(5000);
      } catch (e) {
        this.log.warn(`stopping the server: ${errorText(e)}`);
      }
      await client.dispose().catch(() => undefined);
    }
    this.status.setServer('stopped', 'Stopped.');
    this.hooks.onClientChange();
  }

  /** A restart the user asked for: forget past crashes. */
  async restart(): Promise<void> {
    this.backoff.reset();
    await this.stop();
    await this.start();
  }

  sendSettings(): void {
    if (!this.client || !this.running) return;
    void this.client
      .sendNotification(DidChangeConfigurationNotification.type, { settings: { grounded: this.hooks.settings() } })
      .catch((e) => this.log.warn(`sending settings: ${errorText(e)}`));
  }

  /** A request to the running server; rejects with a clear message otherwise. */
  async request<R>(method: string, params?: unknown): Promise<R> {
    const client = this.client;
    if (!client || !this.running) {
      throw new Error('the Grounded language server is not running (see the status bar, or run "Grounded: Restart Server")');
    }
    // No params at all for a request without them (the server rejects `null`).
    return params === undefined ? client.sendRequest<R>(method) : client.sendRequest<R>(method, params);
  }

  /** Positions and URIs as the protocol writes them. */
  get converter(): LanguageClient['code2ProtocolConverter'] | null {
    return this.client?.code2ProtocolConverter ?? null;
  }

  dispose(): void {
    this.disposed = true;
    void this.stop();
  }
}

export function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e && typeof (e as { message: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return String(e);
}
