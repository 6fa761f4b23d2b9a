// The `grounded/gpuStatus` payload, read defensively: a bare snapshot (the
// request's answer) or a notification `{snapshot, history, trends, alerts,
// source}`; any field may be missing or null. Pure: shared by the extension
// and the panel's script.

export interface GpuProcess {
  pid: number;
  startTime: number | null;
  name: string | null;
  cmdline: string | null;
  usedMemoryBytes: number | null;
}

export interface GpuDevice {
  index: number;
  uuid: string | null;
  name: string | null;
  memoryTotalBytes: number | null;
  memoryUsedBytes: number | null;
  utilizationGpuPct: number | null;
  utilizationMemoryPct: number | null;
  temperatureC: number | null;
  powerMw: number | null;
  powerLimitMw: number | null;
  clockSmMhz: number | null;
  clockMemMhz: number | null;
  processes: GpuProcess[];
}

export type AlertKind = 'leak-suspected' | 'threshold' | string;

export interface GpuAlert {
  kind: AlertKind;
  device: number | null;
  pid: number | null;
  slopeBytesPerS: number | null;
  r2: number | null;
  etaS: number | null;
  message: string;
}

export interface GpuSnapshot {
  tsMs: number;
  available: boolean;
  reason: string | null;
  driverVersion: string | null;
  devices: GpuDevice[];
  alerts: GpuAlert[];
}

export type TrendState = 'ok' | 'growing' | 'leak-suspected';

export interface Trend {
  state: TrendState;
  slopeBytesPerS: number | null;
  r2: number | null;
  etaS: number | null;
}

export interface SeriesHistory {
  device: number;
  pid: number | null;
  startTime: number | null;
  name: string | null;
  /** [ts_ms, bytes] */
  points: Array<[number, number]>;
}

export interface GpuStatus {
  snapshot: GpuSnapshot;
  /** Memory history the server kept (absent in a bare snapshot). */
  history: { devices: SeriesHistory[]; processes: SeriesHistory[] } | null;
  deviceTrends: Map<number, Trend>;
  /** Keyed by {@link processKey}. */
  processTrends: Map<string, Trend>;
  /** The alert log (the notification's), else the snapshot's alerts. */
  alerts: GpuAlert[];
  source: string | null;
}

type Json = Record<string, unknown>;

function obj(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The identity of a process on a device (a pid may be reused). */
export function processKey(device: number, pid: number, startTime: number | null): string {
  return `${device}:${pid}:${startTime ?? ''}`;
}

function readProcess(v: unknown): GpuProcess | null {
  const p = obj(v);
  const pid = num(p?.pid);
  if (!p || pid === null) return null;
  return {
    pid,
    startTime: num(p.start_time),
    name: str(p.name),
    cmdline: str(p.cmdline),
    usedMemoryBytes: num(p.used_memory_bytes),
  };
}

function readDevice(v: unknown, position: number): GpuDevice | null {
  const d = obj(v);
  if (!d) return null;
  return {
    index: num(d.index) ?? position,
    uuid: str(d.uuid),
    name: str(d.name),
    memoryTotalBytes: num(d.memory_total_bytes),
    memoryUsedBytes: num(d.memory_used_bytes),
    utilizationGpuPct: num(d.utilization_gpu_pct),
    utilizationMemoryPct: num(d.utilization_memory_pct),
    temperatureC: num(d.temperature_c),
    powerMw: num(d.power_mw),
    powerLimitMw: num(d.power_limit_mw),
    clockSmMhz: num(d.clock_sm_mhz),
    clockMemMhz: num(d.clock_mem_mhz),
    processes: list(d.processes)
      .map(readProcess)
      .filter((p): p is GpuProcess => p !== null),
  };
}

function readAlert(v: unknown): GpuAlert | null {
  const a = obj(v);
  const kind = str(a?.kind);
  if (!a || kind === null) return null;
  return {
    kind,
    device: num(a.device),
    pid: num(a.pid),
    slopeBytesPerS: num(a.slope_bytes_per_s),
    r2: num(a.r2),
    etaS: num(a.eta_s),
    message: str(a.message) ?? kind,
  };
}

function readAlerts(v: unknown): GpuAlert[] {
  return list(v)
    .map(readAlert)
    .filter((a): a is GpuAlert => a !== null);
}

/** A snapshot, or null when `v` is not one. */
export function readSnapshot(v: unknown): GpuSnapshot | null {
  const s = obj(v);
  if (!s || typeof s.available !== 'boolean') return null;
  return {
    tsMs: num(s.ts_ms) ?? Date.now(),
    available: s.available,
    reason: str(s.reason),
    driverVersion: str(s.driver_version),
    devices: list(s.devices)
      .map(readDevice)
      .filter((d): d is GpuDevice => d !== null),
    alerts: readAlerts(s.alerts),
  };
}

function readTrend(v: Json): Trend {
  const state = str(v.state);
  return {
    state: state === 'growing' || state === 'leak-suspected' ? state : 'ok',
    slopeBytesPerS: num(v.slope_bytes_per_s),
    r2: num(v.r2),
    etaS: num(v.eta_s),
  };
}

function readPoints(v: unknown): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const p of list(v)) {
    if (Array.isArray(p) && p.length >= 2) {
      const t = num(p[0]);
      const y = num(p[1]);
      if (t !== null && y !== null) out.push([t, y]);
    }
  }
  return out;
}

function readHistory(v: unknown): GpuStatus['history'] {
  const h = obj(v);
  if (!h) return null;
  const devices: SeriesHistory[] = [];
  for (const d of list(h.devices)) {
    const o = obj(d);
    const index = num(o?.index) ?? num(o?.device);
    if (o && index !== null) {
      devices.push({ device: index, pid: null, startTime: null, name: null, points: readPoints(o.points) });
    }
  }
  const processes: SeriesHistory[] = [];
  for (const p of list(h.processes)) {
    const o = obj(p);
    const device = num(o?.device);
    const pid = num(o?.pid);
    if (o && device !== null && pid !== null) {
      processes.push({
        device,
        pid,
        startTime: num(o.start_time),
        name: str(o.name),
        points: readPoints(o.points),
      });
    }
  }
  return { devices, processes };
}

/** A payload of either shape, or null when it holds no snapshot. */
export function readGpuStatus(payload: unknown): GpuStatus | null {
  const p = obj(payload);
  if (!p) return null;
  const wrapped = obj(p.snapshot);
  const snapshot = readSnapshot(wrapped ?? p);
  if (!snapshot) return null;
  const deviceTrends = new Map<number, Trend>();
  const processTrends = new Map<string, Trend>();
  const trends = obj(p.trends);
  for (const t of list(trends?.devices)) {
    const o = obj(t);
    const device = num(o?.device);
    if (o && device !== null) deviceTrends.set(device, readTrend(o));
  }
  for (const t of list(trends?.processes)) {
    const o = obj(t);
    const device = num(o?.device);
    const pid = num(o?.pid);
    if (o && device !== null && pid !== null) {
      processTrends.set(processKey(device, pid, num(o.start_time)), readTrend(o));
    }
  }
  const alerts = wrapped && Array.isArray(p.alerts) ? readAlerts(p.alerts) : snapshot.alerts;
  return {
    snapshot,
    history: wrapped ? readHistory(p.history) : null,
    deviceTrends,
    processTrends,
    alerts,
    source: str(p.source),
  };
}
