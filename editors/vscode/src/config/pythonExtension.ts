// The interpreter selected in the Python extension (ms-python.python), when
// it is installed: its `environments` API.

import * as vscode from 'vscode';

interface EnvironmentPath {
  id: string;
  path: string;
}

interface PythonEnvironmentsApi {
  getActiveEnvironmentPath(resource?: vscode.Uri | vscode.WorkspaceFolder): EnvironmentPath;
  onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
}

interface PythonExtensionApi {
  environments?: PythonEnvironmentsApi;
}

export const PYTHON_EXTENSION_ID = 'ms-python.python';

export class PythonInterpreter implements vscode.Disposable {
  private api: PythonEnvironmentsApi | null = null;
  private subscription: vscode.Disposable | null = null;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Connect to the Python extension, if installed; `onChange` runs when its selection changes. */
  async connect(onChange: () => void): Promise<void> {
    const ext = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
    if (!ext) return;
    try {
      const exports = ext.isActive ? ext.exports : await ext.activate();
      const envs = exports?.environments;
      if (!envs || typeof envs.getActiveEnvironmentPath !== 'function') {
        this.log.warn('the Python extension has no environments API: grounded.python or the server decides the interpreter');
        return;
      }
      this.api = envs;
      this.subscription = envs.onDidChangeActiveEnvironmentPath(() => onChange());
    } catch (e) {
      this.log.warn(`could not ask the Python extension for its interpreter: ${String(e)}`);
    }
  }

  /** The selected interpreter's path for `folder` (null when unknown). */
  selected(folder: vscode.WorkspaceFolder | undefined): string | null {
    if (!this.api) return null;
    try {
      const p = this.api.getActiveEnvironmentPath(folder)?.path;
      return typeof p === 'string' && p ? p : null;
    } catch {
      return null;
    }
  }

  dispose(): void {
    this.subscription?.dispose();
  }
}
