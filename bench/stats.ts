/** Latency samples and their percentiles. */

export interface Sample {
  /** Milliseconds from send (or, open loop, from the scheduled send time) to the full answer. */
  ms: number;
  status: number;
  error?: string | undefined;
}

export interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function latency(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Ack failures: not 200, no answer, or later than Slack's 3 s. */
export function ackErrors(samples: Sample[]): { count: number; kinds: Record<string, number> } {
  const kinds: Record<string, number> = {};
  for (const s of samples) {
    const kind = s.error ?? (s.status !== 200 ? `status ${s.status}` : s.ms > 3000 ? "late" : "");
    if (kind) kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return { count: Object.values(kinds).reduce((a, b) => a + b, 0), kinds };
}

export const fmtMs = (ms: number): string =>
  Number.isNaN(ms) ? "–" : ms >= 100 ? `${Math.round(ms)}` : ms.toFixed(1);

export const ratio = (a: number, b: number): string =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : "–";
