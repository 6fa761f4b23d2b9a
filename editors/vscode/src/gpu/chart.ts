// Line-chart geometry for the GPU panel: series of [ts_ms, value] → SVG
// path data, axis ticks and labels, in a fixed viewBox. Pure.

import type { Point } from './timeline';

export interface ChartSeriesInput {
  id: string;
  label: string;
  /** Index into the panel's palette. */
  color: number;
  points: Point[];
  dashed?: boolean;
  highlighted?: boolean;
}

export interface ChartLine {
  id: string;
  label: string;
  color: number;
  d: string;
  dashed: boolean;
  highlighted: boolean;
  last: { x: number; y: number } | null;
}

export interface Tick {
  pos: number;
  label: string;
}

export interface ChartModel {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  lines: ChartLine[];
  yTicks: Tick[];
  xTicks: Tick[];
  empty: boolean;
}

export interface ChartOptions {
  width?: number;
  height?: number;
  /** The top of the y axis; default: a round number above every value. */
  yMax?: number | null;
  yFormat: (v: number) => string;
  /** The right edge of the time axis (the latest reading). */
  tEndMs: number;
  /** The shortest span shown. */
  minWindowMs?: number;
}

/** A round number ≥ v (1, 2, 2.5, 5 × 10ⁿ). */
export function niceCeiling(v: number): number {
  if (!(v > 0)) return 1;
  const exp = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * exp >= v) return m * exp;
  }
  return 10 * exp;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

export function formatAgo(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s === 0) return 'now';
  if (s < 120) return `−${s}s`;
  return `−${Math.round(s / 60)}m`;
}

export function buildChart(series: ChartSeriesInput[], opts: ChartOptions): ChartModel {
  const width = opts.width ?? 600;
  const height = opts.height ?? 160;
  const plot = { left: 56, top: 8, right: width - 8, bottom: height - 20 };
  let tStart = opts.tEndMs;
  let vMax = 0;
  for (const s of series) {
    for (const [t, v] of s.points) {
      tStart = Math.min(tStart, t);
      vMax = Math.max(vMax, v);
    }
  }
  const window = Math.max(opts.tEndMs - tStart, opts.minWindowMs ?? 60_000);
  tStart = opts.tEndMs - window;
  const yMax = opts.yMax && opts.yMax > 0 ? opts.yMax : niceCeiling(vMax * 1.05);
  const x = (t: number): number => plot.left + ((t - tStart) / window) * (plot.right - plot.left);
  const y = (v: number): number =>
    plot.bottom - (Math.min(Math.max(v, 0), yMax) / yMax) * (plot.bottom - plot.top);
  const lines: ChartLine[] = series.map((s) => {
    const pts = s.points.filter(([t]) => t >= tStart && t <= opts.tEndMs);
    const d = pts.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${round(x(t))} ${round(y(v))}`).join(' ');
    const lastPoint = pts[pts.length - 1];
    return {
      id: s.id,
      label: s.label,
      color: s.color,
      d,
      dashed: s.dashed ?? false,
      highlighted: s.highlighted ?? false,
      last: lastPoint ? { x: round(x(lastPoint[0])), y: round(y(lastPoint[1])) } : null,
    };
  });
  const yTicks: Tick[] = [0, 0.5, 1].map((f) => ({ pos: round(y(yMax * f)), label: opts.yFormat(yMax * f) }));
  const xTicks: Tick[] = [0, 0.5, 1].map((f) => ({
    pos: round(plot.left + f * (plot.right - plot.left)),
    label: formatAgo(window * (1 - f)),
  }));
  return {
    width,
    height,
    plot,
    lines,
    yTicks,
    xTicks,
    empty: lines.every((l) => l.d === ''),
  };
}
