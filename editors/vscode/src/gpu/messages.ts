// Messages between the extension and the GPU panel's script.

/** Extension → panel. */
export type ToPanel =
  | { type: 'status'; payload: unknown }
  | { type: 'error'; message: string }
  | { type: 'reset' };

/** What the panel shows, reported after each render (for tests and logs). */
export interface RenderSummary {
  state: 'waiting' | 'unavailable' | 'devices' | 'error';
  devices: string[];
  processes: number;
  alerts: number;
  /** The `status` messages received so far: this render shows the last of them. */
  received: number;
  text: string;
}

/** Panel → extension. */
export type FromPanel = { type: 'ready' } | { type: 'rendered'; summary: RenderSummary };
