// Units for the GPU panel. Pure.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${UNITS[i]}`;
}

/** A rate of growth: `+86 MiB/s`. */
export function formatSlope(bytesPerS: number | null): string {
  if (bytesPerS === null) return '—';
  const sign = bytesPerS >= 0 ? '+' : '−';
  return `${sign}${formatBytes(Math.abs(bytesPerS))}/s`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** The share of a device's memory in use: `42%`, or `—` when the total is unknown or 0. */
export function formatShare(used: number | null, total: number | null): string {
  if (used === null || total === null || !(total > 0)) return '—';
  return `${((used / total) * 100).toFixed(0)}%`;
}

export function formatValue(v: number | null, unit: string, digits = 0): string {
  return v === null ? '—' : `${v.toFixed(digits)}${unit}`;
}

export function formatTime(tsMs: number): string {
  return new Date(tsMs).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}
