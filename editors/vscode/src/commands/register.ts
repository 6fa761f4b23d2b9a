// The extension's commands.

import * as vscode from 'vscode';
import { errorText, ServerSupervisor } from '../server/supervisor';
import { copyContext } from './copyContext';

export interface CommandDeps {
  server: ServerSupervisor;
  contextBudget(): number;
  showGpuPanel(): Promise<void>;
}

async function reindex(server: ServerSupervisor): Promise<unknown> {
  try {
    const result = await server.request<{ folders?: number }>('grounded/reindex');
    const n = result?.folders ?? 0;
    void vscode.window.setStatusBarMessage(`Grounded: re-indexing ${n} folder${n === 1 ? '' : 's'}`, 5000);
    return result;
  } catch (e) {
    void vscode.window.showErrorMessage(`Grounded: re-indexing failed: ${errorText(e)}`);
    throw e;
  }
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('grounded.copyContext', () => copyContext(deps.server, deps.contextBudget())),
    vscode.commands.registerCommand('grounded.reindex', () => reindex(deps.server)),
    vscode.commands.registerCommand('grounded.showGpuPanel', () => deps.showGpuPanel()),
    vscode.commands.registerCommand('grounded.restart', () => deps.server.restart()),
  ];
}
