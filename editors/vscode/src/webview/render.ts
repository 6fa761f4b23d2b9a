// The GPU panel's content for one timeline view.

import { buildChart, ChartSeriesInput } from '../gpu/chart';
import { formatBytes, formatDuration, formatShare, formatSlope, formatTime, formatValue } from '../gpu/format';
import type { GpuAlert } from '../gpu/payload';
import type { DeviceView, ProcessView, TimelineView } from '../gpu/timeline';
import { chartFigure } from './chartView';
import { el } from './dom';

const STATE_LABEL: Record<string, string> = {
  ok: 'steady',
  growing: 'growing',
  'leak-suspected': 'leak suspected',
};

export function renderView(view: TimelineView, error: string | null): HTMLElement {
  const main = el('main', {});
  if (error) {
    main.appendChild(el('div', { class: 'banner error', role: 'alert' }, error));
  }
  switch (view.kind) {
    case 'waiting':
      if (!error) main.appendChild(el('p', { class: 'muted' }, 'Waiting for the first GPU reading…'));
      break;
    case 'unavailable':
      main.appendChild(header(null, null, view.tsMs));
      main.appendChild(
        el(
          'div',
          { class: 'unavailable', role: 'status' },
          el('h2', {}, `NVML unavailable: ${view.reason}`),
          el(
            'p',
            { class: 'muted' },
            'Grounded reads GPU status through NVML (libnvidia-ml.so.1, installed with the NVIDIA driver). ' +
              'On a machine without an NVIDIA GPU or driver there is nothing to show; a trace recorded with ' +
              '`grounded gpu --record` can be replayed with the grounded.gpu.replay setting.',
          ),
        ),
      );
      break;
    case 'devices':
      main.appendChild(header(view.driverVersion, view.source, view.tsMs));
      if (view.alerts.length) main.appendChild(alertList(view.alerts));
      if (view.devices.length === 0) main.appendChild(el('p', { class: 'muted' }, 'NVML reports no GPU.'));
      for (const d of view.devices) main.appendChild(deviceSection(d, view.tsMs));
      break;
  }
  return main;
}

function header(driver: string | null, source: string | null, tsMs: number): HTMLElement {
  const meta = [driver ? `driver ${driver}` : null, source === 'replay' ? 'replayed trace' : source, formatTime(tsMs)]
    .filter((s): s is string => !!s)
    .join(' · ');
  return el('header', {}, el('h1', {}, 'GPU status'), el('span', { class: 'muted' }, meta));
}

function alertList(alerts: GpuAlert[]): HTMLElement {
  const list = el('ul', { class: 'alerts', role: 'alert' });
  for (const a of alerts.slice(-10).reverse()) {
    list.appendChild(
      el('li', { class: `alert ${a.kind === 'leak-suspected' ? 'leak' : 'threshold'}` }, el('span', { class: 'badge' }, a.kind), a.message),
    );
  }
  return el('section', {}, el('h2', {}, `Alerts (${alerts.length})`), list);
}

function tile(label: string, value: string, detail?: HTMLElement | string): HTMLElement {
  return el('div', { class: 'tile' }, el('div', { class: 'tile-label' }, label), el('div', { class: 'tile-value' }, value), detail ?? null);
}

function memoryBar(used: number | null, total: number | null): HTMLElement {
  const bar = el('div', { class: 'bar' });
  const fill = el('div', { class: 'bar-fill' });
  const pct = used !== null && total !== null && total > 0 ? Math.min(100, (used / total) * 100) : 0;
  // CSSOM, not a style attribute: the panel's CSP forbids inline styles.
  fill.style.width = `${pct.toFixed(1)}%`;
  if (pct >= 90) fill.classList.add('high');
  bar.appendChild(fill);
  return bar;
}

function deviceSection(view: DeviceView, tsMs: number): HTMLElement {
  const d = view.device;
  const title = `GPU ${d.index} · ${d.name ?? 'unknown device'}`;
  const h = el('h2', {}, title);
  if (view.trend && view.trend.state !== 'ok') {
    h.appendChild(el('span', { class: `state ${view.trend.state}` }, STATE_LABEL[view.trend.state]));
  }
  // A share only of a known total; a total of 0 has none (not `inf%`).
  const pct = d.memoryTotalBytes === null ? '' : ` (${formatShare(d.memoryUsedBytes, d.memoryTotalBytes)})`;
  const stats = el(
    'div',
    { class: 'tiles' },
    tile('Memory', `${formatBytes(d.memoryUsedBytes)} / ${formatBytes(d.memoryTotalBytes)}${pct}`, memoryBar(d.memoryUsedBytes, d.memoryTotalBytes)),
    tile('GPU utilization', formatValue(d.utilizationGpuPct, '%')),
    tile('Memory utilization', formatValue(d.utilizationMemoryPct, '%')),
    tile('Temperature', formatValue(d.temperatureC, ' °C')),
    tile(
      'Power',
      `${formatValue(d.powerMw === null ? null : d.powerMw / 1000, ' W')}${d.powerLimitMw !== null ? ` / ${(d.powerLimitMw / 1000).toFixed(0)} W` : ''}`,
    ),
    tile('Clocks SM / memory', `${formatValue(d.clockSmMhz, '')} / ${formatValue(d.clockMemMhz, ' MHz')}`),
  );
  const memorySeries: ChartSeriesInput[] = [
    { id: 'used', label: 'device used', color: 0, points: view.series.memoryUsed },
  ];
  if (d.memoryTotalBytes !== null && d.memoryTotalBytes > 0 && view.series.memoryUsed.length) {
    const first = view.series.memoryUsed[0][0];
    memorySeries.push({ id: 'total', label: 'total', color: 7, dashed: true, points: [[first, d.memoryTotalBytes], [tsMs, d.memoryTotalBytes]] });
  }
  view.processes.forEach((p, i) => {
    memorySeries.push({
      id: p.key,
      label: `${p.pid} ${p.name ?? ''}${p.live ? '' : ' (ended)'}`.trim(),
      color: 1 + (i % 6),
      points: p.memory,
      highlighted: p.state === 'leak-suspected',
    });
  });
  const memory = buildChart(memorySeries, { tEndMs: tsMs, yMax: d.memoryTotalBytes, yFormat: (v) => formatBytes(v) });
  const util = buildChart(
    [
      { id: 'gpu', label: 'GPU %', color: 0, points: view.series.utilizationGpu },
      { id: 'mem', label: 'memory %', color: 4, points: view.series.utilizationMemory },
    ],
    { tEndMs: tsMs, yMax: 100, yFormat: (v) => `${v.toFixed(0)}%` },
  );
  const charts = el(
    'div',
    { class: 'charts' },
    chartFigure('Memory', memory, `Memory of ${title} over time`),
    chartFigure('Utilization', util, `Utilization of ${title} over time`),
  );
  return el('section', { class: 'device' }, h, stats, charts, processTable(view.processes));
}

function processTable(processes: ProcessView[]): HTMLElement {
  if (processes.length === 0) return el('p', { class: 'muted' }, 'No compute processes.');
  const head = el(
    'tr',
    {},
    ...['', 'PID', 'Process', 'Memory', 'Trend', 'Growth', 'Full in', 'Command'].map((h) => el('th', {}, h)),
  );
  const body = el('tbody', {});
  processes.forEach((p, i) => {
    const state = p.state ?? (p.live ? null : 'ended');
    const badge = el('span', { class: `state ${state ?? 'unknown'}` }, state ? (STATE_LABEL[state] ?? state) : '—');
    const slope = p.trend ? p.trend.slopeBytesPerS : (p.alert?.slopeBytesPerS ?? null);
    // The cell is cut with an ellipsis; the whole command line is its tooltip.
    const cmd = el('td', p.cmdline ? { class: 'cmd', title: p.cmdline } : { class: 'cmd' }, p.cmdline ?? '');
    body.appendChild(
      el(
        'tr',
        { class: p.state === 'leak-suspected' ? 'leak' : p.live ? '' : 'ended' },
        el('td', {}, el('span', { class: `swatch c${1 + (i % 6)}` })),
        el('td', { class: 'num' }, String(p.pid)),
        el('td', {}, p.name ?? '—'),
        el('td', { class: 'num' }, formatBytes(p.usedMemoryBytes)),
        el('td', {}, badge),
        el('td', { class: 'num' }, formatSlope(slope)),
        el('td', { class: 'num' }, formatDuration(p.fullInS)),
        cmd,
      ),
    );
  });
  return el('table', { class: 'processes' }, el('thead', {}, head), body);
}
