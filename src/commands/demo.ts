import { resolve } from 'node:path';
import { runDemo } from '../demo/run.js';
import { guarded } from './common.js';

export function demoCommand(options: { out: string }): Promise<number> {
  return guarded(async () => {
    const started = performance.now();
    const outDir = resolve(options.out);
    const result = await runDemo({ outDir, print: (line) => process.stdout.write(`${line}\n`) });
    process.stdout.write(`Reports written to ${outDir} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    return result.failedEvents > 0 ? 1 : 0;
  });
}
