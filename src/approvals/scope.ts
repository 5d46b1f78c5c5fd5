import picomatch from 'picomatch';
import type { BotConfig } from '../config/schema.js';

/** The path globs that make a merge request of this project need an approval artifact (none: out of scope). */
export function scopeGlobs(config: BotConfig, projectKey: string): string[] {
  return config.approvals.scope.filter((s) => s.project === projectKey).flatMap((s) => s.paths);
}

/**
 * Whether GitLab's list of changed paths may be missing some: past its diff limits (1,000 files
 * on GitLab.com, also a size and a line limit) the diff overflows, and the single merge
 * request's `changes_count` reads "1000+" (doc/api/merge_requests.md). Without a count, a
 * list of 1,000 or more is taken as cut.
 */
export function changedPathsMayBeIncomplete(changesCount: string | undefined, listed: number): boolean {
  return changesCount === undefined ? listed >= DIFF_MAX_FILES : changesCount.endsWith('+');
}

/** GitLab.com's `diff_max_files` (doc/administration/diff_limits.md: not configurable there). */
export const DIFF_MAX_FILES = 1000;

/** The changed paths that the globs cover; `dot: true` so `.gitlab/…` matches like any other path. */
export function pathsInScope(globs: readonly string[], paths: readonly string[]): string[] {
  if (globs.length === 0) return [];
  const matches = picomatch([...globs], { dot: true });
  return paths.filter((p) => matches(p));
}
