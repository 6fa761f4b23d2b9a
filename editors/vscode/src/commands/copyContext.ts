// "Grounded: Copy API Context for AI": the context for the active editor at
// the cursor (the selection, if any, is the task) → the clipboard.

import * as vscode from 'vscode';
import { errorText, ServerSupervisor } from '../server/supervisor';
import { ApiContext, requestContext } from './apiContext';

export async function copyContext(server: ServerSupervisor, budget: number): Promise<ApiContext | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('Grounded: open a Python file to copy its API context.');
    return undefined;
  }
  const selection = editor.selection;
  const task = selection.isEmpty ? undefined : editor.document.getText(selection);
  let context: ApiContext;
  try {
    context = await requestContext(server, {
      uri: editor.document.uri,
      line: selection.active.line,
      character: selection.active.character,
      task,
      budget,
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`Grounded: could not build the API context: ${errorText(e)}`);
    throw e;
  }
  await vscode.env.clipboard.writeText(context.text);
  const tokens = context.tokens !== undefined ? ` (~${context.tokens} tokens)` : '';
  void vscode.window.setStatusBarMessage(`$(clippy) Grounded: API context copied${tokens}`, 5000);
  return context;
}
