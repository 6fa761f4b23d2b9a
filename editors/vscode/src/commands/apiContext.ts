// The `grounded/context` request: the APIs that really exist for a file,
// ranked for a task, within a token budget.

import * as vscode from 'vscode';
import { ServerSupervisor } from '../server/supervisor';

export interface ApiContext {
  text: string;
  items: unknown[];
  omitted?: number;
  tokens?: number;
}

export interface ContextQuery {
  uri: vscode.Uri;
  /** 0-based line. */
  line?: number;
  character?: number;
  task?: string;
  budget: number;
}

export function contextParams(q: ContextQuery): Record<string, unknown> {
  const params: Record<string, unknown> = { textDocument: { uri: q.uri.toString() }, budget: q.budget };
  if (q.line !== undefined) params.position = { line: q.line, character: q.character ?? 0 };
  const task = q.task?.trim();
  if (task) params.task = task;
  return params;
}

export async function requestContext(server: ServerSupervisor, q: ContextQuery): Promise<ApiContext> {
  const result = await server.request<ApiContext | null>('grounded/context', contextParams(q));
  if (!result || typeof result.text !== 'string') {
    throw new Error('the server answered grounded/context without a context');
  }
  return result;
}
