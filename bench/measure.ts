// Small helpers shared by the benchmarks: timing, percentiles, memory.

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function heapMb(): number {
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10;
}

export function line(name: string, figures: Record<string, string | number>): string {
  return `${name.padEnd(34)} ${Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join('  ')}`;
}
