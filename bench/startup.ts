import { execFileSync } from 'node:child_process';
import { line, percentile } from './measure.js';

/** `support-bot --help` start-up time (the target: under 1.5 s). */
export function benchStartup(runs = 10): string {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    execFileSync(process.execPath, ['dist/cli.js', '--help'], { stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return line('cli --help start-up', { runs, median_ms: Math.round(percentile(times, 50)), max_ms: Math.round(times.at(-1)!) });
}
