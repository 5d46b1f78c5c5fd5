import type { BotConfig } from '../config/schema.js';
import type { GitLabGateway } from '../gitlab/types.js';
import type { ProjectScope } from '../rules/types.js';

/** GitLab's `visibility_level` in webhook payloads (`Gitlab::VisibilityLevel`): 0 private, 10 internal, 20 public. */
const PUBLIC_LEVEL = 20;

/** What an event's payload says about its project. */
export interface ProjectHint {
  /** `project.visibility_level` from the webhook body. */
  visibilityLevel?: number;
}

interface Entry {
  scope: Promise<ProjectScope>;
  expires: number;
  /** The last scope that resolved, served when a re-read fails. */
  lastGood?: ProjectScope;
}

/**
 * Resolves the configured projects (paths or ids) against GitLab. Each answer is kept
 * for `gitlab.projectCacheSeconds` (default 60): a project made public is protected
 * within that time without a restart, and at once when an event's payload already says
 * it is public (that direction is believed without asking; the other waits for GitLab).
 */
export class ProjectRegistry {
  private readonly resolved = new Map<string, Entry>();
  private readonly ttlMs: number;

  constructor(
    private readonly config: BotConfig,
    private readonly gateway: Pick<GitLabGateway, 'getProject'>,
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = config.gitlab.projectCacheSeconds * 1000;
  }

  get keys(): string[] {
    return Object.keys(this.config.projects);
  }

  resolve(key: string, hint: ProjectHint = {}): Promise<ProjectScope> {
    const config = this.config.projects[key];
    if (!config) return Promise.reject(new Error(`config: no project "${key}" under projects`));
    let entry = this.resolved.get(key);
    if (!entry || entry.expires <= this.now()) entry = this.read(key, entry?.lastGood);
    if (hint.visibilityLevel === PUBLIC_LEVEL) {
      const current = entry;
      const scope = current.scope.then((s) => (s.visibility === 'public' ? s : { ...s, visibility: 'public' as const }));
      current.scope = scope;
      void scope.then(
        (s) => (current.lastGood = s),
        () => undefined,
      );
      return scope;
    }
    return entry.scope;
  }

  private read(key: string, lastGood: ProjectScope | undefined): Entry {
    const config = this.config.projects[key]!;
    const entry: Entry = { scope: Promise.resolve() as never, expires: this.now() + this.ttlMs, lastGood };
    entry.scope = this.gateway.getProject(config.path).then(
      (p) => {
        const scope: ProjectScope = {
          key,
          id: p.id,
          path: p.pathWithNamespace,
          visibility: p.visibility,
          webUrl: p.webUrl,
          defaultBranch: p.defaultBranch,
          config,
          accessLevel: p.accessLevel,
        };
        entry.lastGood = scope;
        return scope;
      },
      (error: unknown) => {
        // Forget a failed read so the next call asks again; meanwhile, the last answer is better than none.
        if (this.resolved.get(key) === entry) this.resolved.delete(key);
        if (lastGood) return lastGood;
        throw error;
      },
    );
    this.resolved.set(key, entry);
    return entry;
  }

  resolveAll(): Promise<ProjectScope[]> {
    return Promise.all(this.keys.map((key) => this.resolve(key)));
  }

  /** The configured project an event belongs to, matched by id or path without an API call. */
  keyFor(projectId: number, projectPath: string): string | undefined {
    const wanted = projectPath.toLowerCase();
    return this.keys.find((key) => {
      const path = this.config.projects[key]!.path;
      return typeof path === 'number' ? path === projectId : path.toLowerCase() === wanted;
    });
  }
}
