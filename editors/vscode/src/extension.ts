// Grounded for VS Code: wires the language server, the status bar, the
// commands, the GPU panel and the AI tools together.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { registerCommands } from './commands/register';
import { PythonInterpreter } from './config/pythonExtension';
import { readSettings, ServerSettings, serverSettings } from './config/settings';
import { GpuPanel } from './gpu/panel';
import type { RenderSummary } from './gpu/messages';
import { registerTools } from './lm/tools';
import { ServerSupervisor } from './server/supervisor';
import { StatusBar } from './status/statusBar';
import type { StatusView } from './status/statusText';

/** What the extension exports (its integration tests use it). */
export interface GroundedApi {
  status(): StatusView;
  /** The status bar texts shown so far. */
  statusHistory(): string[];
  serverRunning(): boolean;
  serverPid(): number | null;
  serverSettings(): ServerSettings;
  gpuRendered(): RenderSummary | null;
  onGpuRendered(listener: (s: RenderSummary) => void): vscode.Disposable;
}

function settings() {
  const config = vscode.workspace.getConfiguration('grounded');
  return readSettings((section) => config.get(section));
}

let supervisor: ServerSupervisor | null = null;

const PYTHON_EXTENSION_WAIT_MS = 5000;

export async function activate(context: vscode.ExtensionContext): Promise<GroundedApi> {
  const log = vscode.window.createOutputChannel('Grounded', { log: true });
  const status = new StatusBar();
  const python = new PythonInterpreter(log);
  let gpu: GpuPanel | null = null;

  const current = (): ServerSettings =>
    serverSettings(settings(), {
      trusted: vscode.workspace.isTrusted,
      selectedInterpreter: python.selected(vscode.workspace.workspaceFolders?.[0]),
      workspaceRoot: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null,
      gpuPanelOpen: gpu?.isOpen ?? false,
      homeDir: os.homedir(),
    });

  const server = new ServerSupervisor(context.extensionPath, log, status, {
    settings: current,
    serverPath: () => settings().serverPath,
    onGpuStatus: (payload) => gpu?.statusArrived(payload),
    onClientChange: () => gpu?.serverChanged(),
  });
  supervisor = server;
  const panel = new GpuPanel(context.extensionUri, server, log, () => server.sendSettings());
  gpu = panel;

  context.subscriptions.push(
    log,
    status,
    python,
    server,
    panel,
    ...registerCommands({ server, contextBudget: () => settings().contextBudget, showGpuPanel: () => panel.show() }),
    ...registerTools({ server, contextBudget: () => settings().contextBudget, python: () => current().python }, log),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('grounded.serverPath')) void server.restart();
      else if (e.affectsConfiguration('grounded')) server.sendSettings();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('the workspace is trusted now: the server may run its interpreter');
      status.setTrusted(true);
      server.sendSettings();
    }),
  );
  if (!vscode.workspace.isTrusted) {
    log.info('restricted mode: the workspace is not trusted, so the server never runs an interpreter');
  }

  // The server starts with the Python extension's interpreter when it answers
  // in time; a late answer is sent as a settings change.
  const connected = python.connect(() => server.sendSettings());
  const inTime = await Promise.race([
    connected.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PYTHON_EXTENSION_WAIT_MS)),
  ]);
  if (!inTime) void connected.then(() => server.sendSettings());
  await server.start();

  return {
    status: () => status.current,
    statusHistory: () => [...status.shown],
    serverRunning: () => server.running,
    serverPid: () => server.pid,
    serverSettings: current,
    gpuRendered: () => panel.lastRendered,
    onGpuRendered: (listener) => panel.onRendered(listener),
  };
}

export async function deactivate(): Promise<void> {
  await supervisor?.stop();
  supervisor = null;
}
