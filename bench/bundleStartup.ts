import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { line, percentile } from './measure.js';

/**
 * Issue 22's target: `handle-event` for the bot's own event (zero API calls) from the single-file
 * bundle, within 2× `node -e 0` on the same Node. Runs alternate (node -e 0, bundle without a
 * compile cache, bundle with a warm one) so all three see the same machine state. The bundle is
 * copied into an empty directory first: no node_modules, no config next to it.
 */
export function benchBundleStartup(runs = 30): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'support-bot-bench-bundle-'));
  try {
    const bundle = join(dir, 'support-bot.mjs');
    copyFileSync(resolve('bundle/support-bot.mjs'), bundle);
    const payload = join(dir, 'own.json');
    writeFileSync(
      payload,
      JSON.stringify({
        object_kind: 'issue',
        event_type: 'issue',
        user: { id: 2, username: 'support-bot', name: 'Support Bot' },
        project: { id: 1, path_with_namespace: 'gitlab-com/support/internal-requests' },
        object_attributes: {
          id: 11,
          iid: 1,
          title: 'x',
          description: 'y',
          state: 'opened',
          action: 'open',
          created_at: '2026-11-16 09:00:00 UTC',
          updated_at: '2026-11-16 09:00:00 UTC',
        },
        labels: [],
      }),
    );
    // A URL nothing listens on: one API call would fail the run.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GITLAB_URL: 'http://127.0.0.1:9',
      GITLAB_TOKEN: 'bench-token-not-used',
      SUPPORT_BOT_USERNAME: 'support-bot',
      LOG_LEVEL: 'silent',
    };
    const cached: NodeJS.ProcessEnv = { ...env, NODE_COMPILE_CACHE: join(dir, 'compile-cache') };
    const ownEvent = ['handle-event', '--payload', payload];
    const check = execFileSync(process.execPath, [bundle, ...ownEvent], { env: cached, cwd: dir, encoding: 'utf8' });
    if (!/ignored: caused by the bot's own user .*\(0 API requests/.test(check)) throw new Error(`unexpected output: ${check}`);
    const time = (args: string[], e: NodeJS.ProcessEnv) => {
      const started = performance.now();
      execFileSync(process.execPath, args, { env: e, cwd: dir, stdio: 'ignore' });
      return performance.now() - started;
    };
    const bare: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      bare.push(time(['-e', '0'], env));
      cold.push(time([bundle, ...ownEvent], env));
      warm.push(time([bundle, ...ownEvent], cached));
    }
    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    const base = median(bare);
    const figures = (xs: number[]) => ({
      runs,
      median_ms: Math.round(median(xs)),
      ratio: `${(median(xs) / base).toFixed(2)}x`,
      target: '<=2.00x',
      met: median(xs) <= 2 * base ? 'yes' : 'no',
    });
    return [
      line('node -e 0', { runs, median_ms: Math.round(base) }),
      line('bundle handle-event (own event)', figures(cold)),
      line('… with NODE_COMPILE_CACHE (warm)', figures(warm)),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
