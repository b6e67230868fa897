// Shared by the benchmark scripts: each measurement runs in its own process (so its peak
// RSS is its own) and prints one JSON line of figures on stdout.
import { performance } from 'node:perf_hooks';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The goal this figure is held to, if any. */
  goal?: { max: number; text: string };
  note?: string;
}

export async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await f();
  return { ms: performance.now() - start, result };
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function emit(figures: Figure[]): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** Best of n runs (the machine has 2 cores and other work: the minimum is the honest cost). */
export async function bestOf(n: number, f: () => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < n; i++) best = Math.min(best, (await timed(f)).ms);
  return best;
}

export function quiet(): void {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}
