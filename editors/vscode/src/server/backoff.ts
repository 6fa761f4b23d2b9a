// When to restart a server that exited on its own: exponential backoff
// (1 s, 2 s, 4 s … 30 s), reset once it has run a while; give up after
// too many crashes in a row. Pure: times are passed in.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A run this long counts as healthy: the next crash starts over. */
  healthyAfterMs: number;
  /** Crashes in a row before giving up. */
  maxCrashes: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  initialMs: 1000,
  maxMs: 30_000,
  healthyAfterMs: 60_000,
  maxCrashes: 5,
};

export type RestartDecision = { restart: true; delayMs: number; attempt: number } | { restart: false; crashes: number };

export class RestartBackoff {
  private crashes = 0;
  private startedAt = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  started(nowMs: number): void {
    this.startedAt = nowMs;
  }

  /** A restart asked for by the user: forget the crashes. */
  reset(): void {
    this.crashes = 0;
  }

  crashed(nowMs: number): RestartDecision {
    if (nowMs - this.startedAt >= this.options.healthyAfterMs) this.crashes = 0;
    this.crashes++;
    if (this.crashes > this.options.maxCrashes) return { restart: false, crashes: this.crashes - 1 };
    const delayMs = Math.min(this.options.maxMs, this.options.initialMs * 2 ** (this.crashes - 1));
    return { restart: true, delayMs, attempt: this.crashes };
  }
}
