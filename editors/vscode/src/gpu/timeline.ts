// The GPU panel's model: the latest status plus series over time for each
// device (memory, utilization, temperature, power) and each process
// (memory, with its leak state). Fed one `grounded/gpuStatus` payload at a
// time; the server's memory history, when a notification carries it,
// replaces what the panel collected itself. Pure.

import {
  GpuAlert,
  GpuDevice,
  GpuSnapshot,
  GpuStatus,
  Trend,
  TrendState,
  processKey,
  readGpuStatus,
} from './payload';

/** [ts_ms, value] */
export type Point = [number, number];

export interface DeviceSeries {
  memoryUsed: Point[];
  utilizationGpu: Point[];
  utilizationMemory: Point[];
  temperature: Point[];
  powerW: Point[];
}

export interface ProcessView {
  key: string;
  device: number;
  pid: number;
  name: string | null;
  cmdline: string | null;
  usedMemoryBytes: number | null;
  /** null: the server gave no verdict (yet). */
  state: TrendState | null;
  trend: Trend | null;
  alert: GpuAlert | null;
  /**
   * Seconds until the device is full at this process's growth, only while it
   * is suspected of leaking: the server projects one for any positive slope,
   * and a steady process's jitter projects thousands of hours.
   */
  fullInS: number | null;
  memory: Point[];
  /** Still running in the latest snapshot. */
  live: boolean;
}

export interface DeviceView {
  device: GpuDevice;
  trend: Trend | null;
  series: DeviceSeries;
  processes: ProcessView[];
  alerts: GpuAlert[];
}

export type TimelineView =
  | { kind: 'waiting' }
  | { kind: 'unavailable'; reason: string; tsMs: number }
  | {
      kind: 'devices';
      tsMs: number;
      driverVersion: string | null;
      source: string | null;
      devices: DeviceView[];
      alerts: GpuAlert[];
    };

export const MAX_POINTS = 300;

function push(series: Point[], ts: number, v: number | null, max: number): void {
  if (v === null) return;
  const last = series[series.length - 1];
  if (last && last[0] >= ts) {
    if (last[0] === ts) last[1] = v;
    return;
  }
  series.push([ts, v]);
  if (series.length > max) series.splice(0, series.length - max);
}

function emptySeries(): DeviceSeries {
  return { memoryUsed: [], utilizationGpu: [], utilizationMemory: [], temperature: [], powerW: [] };
}

interface ProcessRecord {
  device: number;
  pid: number;
  name: string | null;
  memory: Point[];
}

export class GpuTimeline {
  private latest: GpuStatus | null = null;
  private readonly devices = new Map<number, DeviceSeries>();
  private readonly processes = new Map<string, ProcessRecord>();

  constructor(private readonly maxPoints = MAX_POINTS) {}

  /** Take one payload; false when it held no snapshot. */
  ingest(payload: unknown): boolean {
    const status = readGpuStatus(payload);
    if (!status) return false;
    const snap = status.snapshot;
    if (this.latest && snap.tsMs < this.latest.snapshot.tsMs) {
      // An older reading (a replay restarted): start over.
      this.reset();
    }
    this.latest = status;
    if (snap.available) this.record(snap);
    if (status.history) this.adoptHistory(status.history);
    return true;
  }

  reset(): void {
    this.latest = null;
    this.devices.clear();
    this.processes.clear();
  }

  private record(snap: GpuSnapshot): void {
    const ts = snap.tsMs;
    const max = this.maxPoints;
    for (const d of snap.devices) {
      let s = this.devices.get(d.index);
      if (!s) {
        s = emptySeries();
        this.devices.set(d.index, s);
      }
      push(s.memoryUsed, ts, d.memoryUsedBytes, max);
      push(s.utilizationGpu, ts, d.utilizationGpuPct, max);
      push(s.utilizationMemory, ts, d.utilizationMemoryPct, max);
      push(s.temperature, ts, d.temperatureC, max);
      push(s.powerW, ts, d.powerMw === null ? null : d.powerMw / 1000, max);
      for (const p of d.processes) {
        const key = processKey(d.index, p.pid, p.startTime);
        let r = this.processes.get(key);
        if (!r) {
          r = { device: d.index, pid: p.pid, name: p.name, memory: [] };
          this.processes.set(key, r);
        }
        if (p.name) r.name = p.name;
        push(r.memory, ts, p.usedMemoryBytes, max);
      }
    }
    this.forgetEnded();
  }

  /** Drop processes whose last reading left every device's window. */
  private forgetEnded(): void {
    let oldest = Infinity;
    for (const s of this.devices.values()) {
      if (s.memoryUsed.length) oldest = Math.min(oldest, s.memoryUsed[0][0]);
    }
    for (const [key, r] of this.processes) {
      const last = r.memory[r.memory.length - 1];
      if (!last || last[0] < oldest) this.processes.delete(key);
    }
  }

  private adoptHistory(history: NonNullable<GpuStatus['history']>): void {
    const tail = (points: Point[]): Point[] => points.slice(-this.maxPoints).map(([t, v]) => [t, v]);
    for (const h of history.devices) {
      if (h.points.length === 0) continue;
      let s = this.devices.get(h.device);
      if (!s) {
        s = emptySeries();
        this.devices.set(h.device, s);
      }
      s.memoryUsed = tail(h.points);
    }
    for (const h of history.processes) {
      if (h.pid === null || h.points.length === 0) continue;
      const key = processKey(h.device, h.pid, h.startTime);
      const r = this.processes.get(key) ?? { device: h.device, pid: h.pid, name: h.name, memory: [] };
      r.memory = tail(h.points);
      if (h.name) r.name = h.name;
      this.processes.set(key, r);
    }
  }

  view(): TimelineView {
    const status = this.latest;
    if (!status) return { kind: 'waiting' };
    const snap = status.snapshot;
    if (!snap.available) {
      return { kind: 'unavailable', reason: snap.reason ?? 'no reason given', tsMs: snap.tsMs };
    }
    const devices = snap.devices.map((device) => this.deviceView(status, device));
    return {
      kind: 'devices',
      tsMs: snap.tsMs,
      driverVersion: snap.driverVersion,
      source: status.source,
      devices,
      alerts: status.alerts,
    };
  }

  private deviceView(status: GpuStatus, device: GpuDevice): DeviceView {
    const alerts = status.alerts.filter((a) => a.device === null || a.device === device.index);
    const leakAlerts = new Map<number, GpuAlert>();
    for (const a of alerts) {
      if (a.kind === 'leak-suspected' && a.pid !== null) leakAlerts.set(a.pid, a);
    }
    const processes: ProcessView[] = [];
    const live = new Set<string>();
    for (const p of device.processes) {
      const key = processKey(device.index, p.pid, p.startTime);
      live.add(key);
      const trend = status.processTrends.get(key) ?? null;
      const alert = leakAlerts.get(p.pid) ?? null;
      const state = trend?.state ?? (alert ? 'leak-suspected' : null);
      processes.push({
        key,
        device: device.index,
        pid: p.pid,
        name: p.name ?? this.processes.get(key)?.name ?? null,
        cmdline: p.cmdline,
        usedMemoryBytes: p.usedMemoryBytes,
        state,
        trend,
        alert,
        fullInS: state !== 'leak-suspected' ? null : trend ? trend.etaS : (alert?.etaS ?? null),
        memory: this.processes.get(key)?.memory ?? [],
        live: true,
      });
    }
    // Processes that ended still have a line in the memory chart.
    for (const [key, r] of this.processes) {
      if (r.device !== device.index || live.has(key)) continue;
      processes.push({
        key,
        device: r.device,
        pid: r.pid,
        name: r.name,
        cmdline: null,
        usedMemoryBytes: null,
        state: null,
        trend: null,
        alert: null,
        fullInS: null,
        memory: r.memory,
        live: false,
      });
    }
    return {
      device,
      trend: status.deviceTrends.get(device.index) ?? null,
      series: this.devices.get(device.index) ?? emptySeries(),
      processes,
      alerts,
    };
  }
}
