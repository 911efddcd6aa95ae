// Figures shared by the benchmarks: nearest-rank percentiles, so a p90 over 10 runs is the 9th
// smallest run (an actual run, never an interpolation between two).

/** The `p`-th percentile (0 < p ≤ 100) of `values`, nearest rank; NaN for no values. */
export function percentile(values, p) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 50);

/** `{ p50, p90, p95, max }` of `values`. */
export function summary(values) {
  return {
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p95: percentile(values, 95),
    max: percentile(values, 100),
  };
}
