import type { BotConfig } from '../config/schema.js';
import type { GitLabGateway } from '../gitlab/types.js';
import type { ProjectScope } from '../rules/types.js';

/** Resolves the configured projects (paths or ids) against GitLab, once each. */
export class ProjectRegistry {
  private readonly resolved = new Map<string, Promise<ProjectScope>>();

  constructor(
    private readonly config: BotConfig,
    private readonly gateway: Pick<GitLabGateway, 'getProject'>,
  ) {}

  get keys(): string[] {
    return Object.keys(this.config.projects);
  }

  resolve(key: string): Promise<ProjectScope> {
    let scope = this.resolved.get(key);
    if (!scope) {
      const config = this.config.projects[key];
      if (!config) return Promise.reject(new Error(`config: no project "${key}" under projects`));
      scope = this.gateway.getProject(config.path).then((p) => ({
        key,
        id: p.id,
        path: p.pathWithNamespace,
        visibility: p.visibility,
        webUrl: p.webUrl,
        config,
      }));
      scope.catch(() => this.resolved.delete(key));
      this.resolved.set(key, scope);
    }
    return scope;
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
