// Language-model tools for agent-mode chat, so the assistant can ask what
// exists before it writes: `grounded_api_context` (the `grounded/context`
// request) and `grounded_check_code` (a snippet checked by `grounded check`).

import * as path from 'node:path';
import * as vscode from 'vscode';
import { requestContext } from '../commands/apiContext';
import { ServerSupervisor } from '../server/supervisor';
import { checkSnippet } from './checkCode';
import { describeFindings } from './checkReport';

export const CONTEXT_TOOL = 'grounded_api_context';
export const CHECK_TOOL = 'grounded_check_code';

interface ContextInput {
  filePath?: string;
  line?: number;
  task?: string;
  budget?: number;
}

interface CheckInput {
  code: string;
  filePath?: string;
}

export interface ToolDeps {
  server: ServerSupervisor;
  contextBudget(): number;
  /** The interpreter the server was given (empty: its own discovery). */
  python(): string;
}

/** The file a tool call is about: its path (absolute or workspace-relative), else the active editor's. */
export function targetFile(filePath: string | undefined): vscode.Uri {
  if (filePath && filePath.trim()) {
    const p = filePath.trim();
    if (path.isAbsolute(p)) return vscode.Uri.file(p);
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error(`"${p}" is relative and no workspace folder is open: give an absolute path`);
    return vscode.Uri.joinPath(folder.uri, p);
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') {
    throw new Error('no filePath was given and no file is open in the editor: give the path of the file');
  }
  return editor.document.uri;
}

function text(s: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(s)]);
}

class ApiContextTool implements vscode.LanguageModelTool<ContextInput> {
  constructor(private readonly deps: ToolDeps) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<ContextInput>): vscode.PreparedToolInvocation {
    const what = options.input.filePath ? path.basename(options.input.filePath) : 'the active file';
    return { invocationMessage: `Reading the APIs that exist for ${what}` };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<ContextInput>): Promise<vscode.LanguageModelToolResult> {
    const input = options.input ?? {};
    const uri = targetFile(input.filePath);
    const line = typeof input.line === 'number' && input.line >= 1 ? Math.floor(input.line) - 1 : undefined;
    const budget = typeof input.budget === 'number' && input.budget > 0 ? Math.floor(input.budget) : this.deps.contextBudget();
    const context = await requestContext(this.deps.server, { uri, line, task: input.task, budget });
    return text(context.text);
  }
}

class CheckCodeTool implements vscode.LanguageModelTool<CheckInput> {
  constructor(private readonly deps: ToolDeps) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: 'Checking the code for calls to APIs that do not exist' };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<CheckInput>): Promise<vscode.LanguageModelToolResult> {
    const input = options.input;
    if (!input || typeof input.code !== 'string') throw new Error('`code` (the code to check) is required');
    if (!vscode.workspace.isTrusted) {
      throw new Error('this workspace is not trusted: Grounded does not run its interpreter to check code here');
    }
    const binary = this.deps.server.binaryPath;
    if (!binary) throw new Error('the grounded binary was not found (see the Grounded status bar item)');
    const target = targetFile(input.filePath);
    const folder = vscode.workspace.getWorkspaceFolder(target);
    const findings = await checkSnippet({
      binary,
      target: target.fsPath,
      code: input.code,
      python: this.deps.python(),
      cwd: folder?.uri.fsPath ?? path.dirname(target.fsPath),
    });
    return text(describeFindings(findings));
  }
}

export function registerTools(deps: ToolDeps, log: vscode.LogOutputChannel): vscode.Disposable[] {
  // `vscode.lm.registerTool` is missing from hosts without language-model support.
  const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
  if (typeof lm?.registerTool !== 'function') {
    log.info('this editor has no language-model tools API: the AI tools are not registered');
    return [];
  }
  return [lm.registerTool(CONTEXT_TOOL, new ApiContextTool(deps)), lm.registerTool(CHECK_TOOL, new CheckCodeTool(deps))];
}
