import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildChart, niceCeiling } from '../../src/gpu/chart';
import { formatBytes, formatDuration, formatShare, formatSlope } from '../../src/gpu/format';
import { readGpuStatus } from '../../src/gpu/payload';
import { GpuTimeline } from '../../src/gpu/timeline';

const GiB = 1024 ** 3;

function snapshot(ts: number, serveBytes: number, extra: Record<string, unknown> = {}) {
  return {
    ts_ms: ts,
    available: true,
    reason: null,
    driver_version: '550.54.15',
    devices: [
      {
        index: 0,
        uuid: 'GPU-1',
        name: 'NVIDIA H100 80GB HBM3',
        memory_total_bytes: 80 * GiB,
        memory_used_bytes: serveBytes + 10 * GiB,
        utilization_gpu_pct: 78,
        utilization_memory_pct: null,
        temperature_c: 58,
        power_mw: 339904,
        power_limit_mw: 700000,
        clock_sm_mhz: 1980,
        clock_mem_mhz: 2619,
        processes: [
          { pid: 4242, start_time: 17, name: 'python', cmdline: 'python serve.py', used_memory_bytes: serveBytes },
          { pid: 4343, start_time: 18, name: 'python', cmdline: 'python worker.py', used_memory_bytes: 10 * GiB },
        ],
      },
    ],
    alerts: [],
    ...extra,
  };
}

const leakAlert = {
  kind: 'leak-suspected',
  device: 0,
  pid: 4242,
  slope_bytes_per_s: 90e6,
  r2: 0.99,
  eta_s: 480,
  message: 'GPU 0: pid 4242 (python) grows 86 MiB/s',
};

test('a bare snapshot and a notification both read, nulls kept as null', () => {
  const bare = readGpuStatus(snapshot(1000, GiB));
  assert.ok(bare);
  assert.equal(bare.snapshot.devices[0].utilizationMemoryPct, null);
  assert.equal(bare.history, null);
  const wrapped = readGpuStatus({
    snapshot: snapshot(1000, GiB),
    history: { devices: [{ index: 0, points: [[0, 5], [1000, 6]] }], processes: [] },
    trends: { devices: [], processes: [{ device: 0, pid: 4242, start_time: 17, state: 'leak-suspected', slope_bytes_per_s: 9e7, r2: 1, eta_s: 400 }] },
    alerts: [leakAlert],
    source: 'replay',
  });
  assert.ok(wrapped);
  assert.equal(wrapped.alerts.length, 1);
  assert.equal(wrapped.processTrends.get('0:4242:17')?.state, 'leak-suspected');
  assert.equal(wrapped.source, 'replay');
  assert.equal(readGpuStatus({ nothing: true }), null);
  assert.equal(readGpuStatus(null), null);
  assert.equal(readGpuStatus({ available: true, devices: [{ name: 'x' }, 7, { index: 2, processes: [{ name: 'no pid' }] }] })?.snapshot.devices.length, 2);
});

test('the timeline collects series, and leak state comes from trends or alerts', () => {
  const t = new GpuTimeline();
  assert.equal(t.view().kind, 'waiting');
  for (let i = 0; i < 5; i++) t.ingest(snapshot(1000 * i, GiB * (1 + i)));
  t.ingest(snapshot(5000, 6 * GiB, { alerts: [leakAlert] }));
  const v = t.view();
  assert.equal(v.kind, 'devices');
  if (v.kind !== 'devices') return;
  const d = v.devices[0];
  assert.equal(d.series.memoryUsed.length, 6);
  assert.equal(d.series.utilizationMemory.length, 0, 'null readings are gaps, not zeros');
  assert.equal(d.series.powerW[0][1], 339.904);
  const serve = d.processes.find((p) => p.pid === 4242);
  assert.equal(serve?.state, 'leak-suspected');
  assert.equal(serve?.memory.length, 6);
  assert.equal(d.processes.find((p) => p.pid === 4343)?.state, null);
  assert.equal(v.alerts.length, 1);
});

test('the server history replaces the collected memory; an older reading starts over', () => {
  const t = new GpuTimeline();
  t.ingest(snapshot(10_000, GiB));
  t.ingest({
    snapshot: snapshot(12_000, GiB),
    history: {
      devices: [{ index: 0, points: [[2000, 1], [4000, 2], [12_000, 3]] }],
      processes: [{ device: 0, pid: 4242, start_time: 17, name: 'python', points: [[2000, 1], [12_000, 2]] }],
    },
    alerts: [],
  });
  let v = t.view();
  assert.ok(v.kind === 'devices');
  if (v.kind === 'devices') assert.deepEqual(v.devices[0].series.memoryUsed.map((p) => p[0]), [2000, 4000, 12_000]);
  t.ingest(snapshot(500, GiB));
  v = t.view();
  if (v.kind === 'devices') assert.equal(v.devices[0].series.memoryUsed.length, 1);
});

test('only a process suspected of leaking has a time until the device is full', () => {
  // The server projects a time for any positive slope: the steady worker's
  // jitter gives 2917 h 26 min, which the panel must not show.
  const trend = (pid: number, start: number, state: string, eta: number) => ({
    device: 0, pid, start_time: start, state, slope_bytes_per_s: 1.2e3, r2: 0.01, eta_s: eta,
  });
  const t = new GpuTimeline();
  t.ingest({
    snapshot: snapshot(1000, GiB),
    trends: { devices: [], processes: [trend(4242, 17, 'leak-suspected', 640), trend(4343, 18, 'ok', 10_502_760)] },
    alerts: [],
  });
  let v = t.view();
  assert.ok(v.kind === 'devices');
  if (v.kind !== 'devices') return;
  const fullIn = (pid: number) => (v.kind === 'devices' ? v.devices[0].processes.find((p) => p.pid === pid)?.fullInS : undefined);
  assert.equal(fullIn(4242), 640);
  assert.equal(fullIn(4343), null, 'a steady process');
  t.ingest({
    snapshot: snapshot(2000, GiB),
    trends: { devices: [], processes: [trend(4242, 17, 'growing', 900), trend(4343, 18, 'ok', 10_502_760)] },
    alerts: [],
  });
  v = t.view();
  assert.equal(fullIn(4242), null, 'a growing process is not suspected yet');
  // No trend from the server (a bare snapshot): the leak alert's projection.
  t.ingest(snapshot(3000, GiB, { alerts: [leakAlert] }));
  v = t.view();
  assert.equal(fullIn(4242), 480);
  assert.equal(fullIn(4343), null);
});

test('an unavailable snapshot is its own state with the reason', () => {
  const t = new GpuTimeline();
  t.ingest({ ts_ms: 1, available: false, reason: 'libnvidia-ml.so.1: cannot open shared object file', devices: [], alerts: [] });
  assert.deepEqual(t.view(), { kind: 'unavailable', reason: 'libnvidia-ml.so.1: cannot open shared object file', tsMs: 1 });
});

test('charts: paths inside the plot, a round y axis, time ticks back from now', () => {
  assert.equal(niceCeiling(83), 100);
  assert.equal(niceCeiling(0.3), 0.5);
  assert.equal(niceCeiling(0), 1);
  const c = buildChart(
    [
      { id: 'a', label: 'a', color: 0, points: [[0, 0], [60_000, 50], [120_000, 100]] },
      { id: 'b', label: 'b', color: 1, points: [], highlighted: true },
    ],
    { tEndMs: 120_000, yMax: 100, yFormat: (v) => `${v}%`, width: 600, height: 160 },
  );
  assert.equal(c.lines[0].d, 'M56 140 L324 74 L592 8');
  assert.equal(c.lines[1].d, '');
  assert.deepEqual(c.lines[0].last, { x: 592, y: 8 });
  assert.deepEqual(c.yTicks.map((t) => t.label), ['0%', '50%', '100%']);
  assert.deepEqual(c.xTicks.map((t) => t.label), ['−2m', '−60s', 'now']);
  assert.equal(c.empty, false);
  assert.equal(buildChart([], { tEndMs: 0, yFormat: String }).empty, true);
});

test('units', () => {
  assert.equal(formatBytes(null), '—');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(80 * GiB), '80.0 GiB');
  assert.equal(formatBytes(1.5 * 1024 ** 2), '1.5 MiB');
  assert.equal(formatSlope(90 * 1024 ** 2), '+90.0 MiB/s');
  assert.equal(formatDuration(480), '8 min');
  assert.equal(formatDuration(5400), '1 h 30 min');
  assert.equal(formatShare(20 * GiB, 80 * GiB), '25%');
  assert.equal(formatShare(GiB, 0), '—', 'a total of 0 is no share (not inf%)');
  assert.equal(formatShare(0, 0), '—', 'nor NaN%');
  assert.equal(formatShare(null, 80 * GiB), '—');
  assert.equal(formatShare(GiB, null), '—');
});
