// The GPU panel's script: takes `grounded/gpuStatus` payloads from the
// extension, keeps the timeline, renders it, and reports what it shows.

import type { FromPanel, RenderSummary, ToPanel } from '../gpu/messages';
import { GpuTimeline } from '../gpu/timeline';
import { renderView } from './render';

interface VsCodeApi {
  postMessage(message: FromPanel): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const timeline = new GpuTimeline();
let error: string | null = null;
let pending = false;
let received = 0;

function summarize(root: HTMLElement): RenderSummary {
  const view = timeline.view();
  const devices = view.kind === 'devices' ? view.devices : [];
  return {
    state: error && view.kind === 'waiting' ? 'error' : view.kind,
    devices: devices.map((d) => d.device.name ?? `GPU ${d.device.index}`),
    processes: devices.reduce((n, d) => n + d.processes.length, 0),
    alerts: view.kind === 'devices' ? view.alerts.length : 0,
    received,
    text: (root.innerText || root.textContent || '').slice(0, 4000),
  };
}

function render(): void {
  pending = false;
  const root = document.getElementById('root');
  if (!root) return;
  root.replaceChildren(renderView(timeline.view(), error));
  vscode.postMessage({ type: 'rendered', summary: summarize(root) });
}

function schedule(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(render);
}

window.addEventListener('message', (event: MessageEvent<ToPanel>) => {
  const m = event.data;
  switch (m?.type) {
    case 'status':
      received++;
      if (timeline.ingest(m.payload)) error = null;
      break;
    case 'error':
      error = m.message;
      break;
    case 'reset':
      timeline.reset();
      error = null;
      break;
    default:
      return;
  }
  schedule();
});

render();
vscode.postMessage({ type: 'ready' });
