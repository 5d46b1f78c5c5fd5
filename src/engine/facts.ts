import type { BotConfig } from '../config/schema.js';
import type { FactDefinition, FactDeps } from '../facts/define.js';
import { FACTS, type FactName, type FactTypes } from '../facts/index.js';
import type { GitLabGateway, UserRef } from '../gitlab/types.js';
import type { Subject } from '../subjects.js';

export interface FactFailure {
  fact: FactName;
  error: string;
}

export interface LoadedFacts {
  facts: Partial<FactTypes>;
  failures: FactFailure[];
}

function definitionOf(name: FactName): FactDefinition<unknown, unknown> {
  return FACTS[name] as unknown as FactDefinition<unknown, unknown>;
}

/** Where a fact is cached: its name, and the key of its parameter for this subject. */
function locate(name: FactName, subject: Subject, config: BotConfig, instanceUrl: string): { definition: FactDefinition<unknown, unknown>; param: unknown; cacheKey: string } {
  const definition = definitionOf(name);
  const param = definition.param(subject, config, instanceUrl);
  return { definition, param, cacheKey: `${name}:${definition.key(param)}` };
}

function message(error: unknown): string {
  return String((error as Error)?.message ?? error);
}

/**
 * Loads the facts rules declare, through `FACTS`. One loader lives for one event or one
 * scheduled run: a run-scoped fact with the same key (a project's board, the approver
 * groups) is read once per run; subject-scoped facts (notes) live as long as the
 * `SubjectFacts` of one subject, so a sweep holds one subject's notes at a time.
 */
export class FactsLoader {
  private readonly runCache = new Map<string, Promise<unknown>>();

  constructor(
    private readonly config: BotConfig,
    private readonly gateway: GitLabGateway,
    private readonly team: () => Promise<Set<string>>,
    private readonly instanceUrl: string = config.gitlab.url,
    private readonly me: () => Promise<UserRef> = () => gateway.currentUser(),
  ) {}

  /** The facts of one subject. */
  forSubject(subject: Subject): SubjectFacts {
    return new SubjectFacts(subject, { config: this.config, gateway: this.gateway, team: this.team, me: this.me, instanceUrl: this.instanceUrl }, this.runCache);
  }

  /** Forget a run-scoped fact after a write that may have changed it (a board label on the project). */
  forget(name: FactName, subject: Subject): void {
    this.runCache.delete(locate(name, subject, this.config, this.instanceUrl).cacheKey);
  }
}

export class SubjectFacts {
  private readonly subjectCache = new Map<string, Promise<unknown>>();
  private readonly deps: FactDeps;

  constructor(
    readonly subject: Subject,
    deps: Omit<FactDeps, 'fact'>,
    private readonly runCache: Map<string, Promise<unknown>>,
  ) {
    this.deps = { ...deps, fact: (name, other) => (other === subject ? this.get(name as FactName) : Promise.reject(new Error('facts of another subject'))) };
  }

  private cacheFor(definition: FactDefinition<unknown, unknown>): Map<string, Promise<unknown>> {
    return definition.scope === 'run' ? this.runCache : this.subjectCache;
  }

  /** One fact, read at most once for its key. */
  get<K extends FactName>(name: K): Promise<FactTypes[K]> {
    const { definition, param, cacheKey } = locate(name, this.subject, this.deps.config, this.deps.instanceUrl);
    const cache = this.cacheFor(definition);
    let value = cache.get(cacheKey);
    if (!value) {
      value = definition.load(param, this.deps);
      value.catch(() => undefined);
      cache.set(cacheKey, value);
    }
    return value as Promise<FactTypes[K]>;
  }

  /** The value of a fact when it was read already for this subject (the executor reuses notes). */
  async peek<K extends FactName>(name: K): Promise<FactTypes[K] | undefined> {
    const { definition, cacheKey } = locate(name, this.subject, this.deps.config, this.deps.instanceUrl);
    const value = this.cacheFor(definition).get(cacheKey);
    return value ? ((await value.catch(() => undefined)) as FactTypes[K] | undefined) : undefined;
  }

  /**
   * Loads each named fact on its own: one that cannot be read (a missing team group, a
   * 5xx after retries) is left out and reported; the planner decides which rules it stops.
   */
  async load(names: ReadonlySet<FactName>): Promise<LoadedFacts> {
    const facts: Partial<Record<FactName, unknown>> = {};
    const failures: FactFailure[] = [];
    for (const name of names) {
      try {
        facts[name] = await this.get(name);
      } catch (error) {
        failures.push({ fact: name, error: message(error) });
      }
    }
    return { facts: facts as Partial<FactTypes>, failures };
  }
}
