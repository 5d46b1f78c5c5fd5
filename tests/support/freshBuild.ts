import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Runs once before the suite (vitest.config.ts: globalSetup). The CLI-as-a-process tests run
// what ships: dist/cli.js and bundle/support-bot.mjs. `npm test` builds both first; a direct
// `npx vitest run` after an edit would otherwise test a stale build, so each is rebuilt here
// when any file it is made from is newer than it.

const SOURCES = ['src', 'config', 'issue_templates', 'package.json'];

function newestUnder(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestUnder(join(path, name))));
}

/** Whether `output` is missing or older than its newest source. */
export function isStale(output: string, sources: readonly string[] = SOURCES): boolean {
  if (!existsSync(output)) return true;
  return Math.max(...sources.map(newestUnder)) > statSync(output).mtimeMs;
}

export default function setup(): void {
  const builds: [string, string][] = [
    ['dist/cli.js', 'build'],
    ['bundle/support-bot.mjs', 'bundle'],
  ];
  for (const [output, script] of builds) {
    if (isStale(output, script === 'bundle' ? [...SOURCES, 'scripts/bundle.mjs'] : SOURCES)) {
      execFileSync('npm', ['run', '--silent', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
  }
}
