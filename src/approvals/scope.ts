import picomatch from 'picomatch';
import type { BotConfig } from '../config/schema.js';

/** The path globs that make a merge request of this project need an approval artifact (none: out of scope). */
export function scopeGlobs(config: BotConfig, projectKey: string): string[] {
  return config.approvals.scope.filter((s) => s.project === projectKey).flatMap((s) => s.paths);
}

/** The changed paths that the globs cover; `dot: true` so `.gitlab/…` matches like any other path. */
export function pathsInScope(globs: readonly string[], paths: readonly string[]): string[] {
  if (globs.length === 0) return [];
  const matches = picomatch([...globs], { dot: true });
  return paths.filter((p) => matches(p));
}
