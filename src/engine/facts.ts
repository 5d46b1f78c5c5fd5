import type { BotConfig } from '../config/schema.js';
import type { FactContext, FactDefinition, FactDeps } from '../facts/define.js';
import { FACTS, type FactName, type FactTypes, type RunWideFactName } from '../facts/index.js';
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

/** The stage a fact loads in among one subject's facts (`FactDefinition.stage`). */
export function stageOf(name: FactName): number {
  return definitionOf(name).stage ?? 1;
}

function cacheKeyOf(name: FactName, key: string): string {
  return `${name}:${key}`;
}

/** Where a fact is cached: its name, and the key of its parameter for this subject. */
function locate(name: FactName, subject: Subject | null, context: FactContext): { definition: FactDefinition<unknown, unknown>; param: unknown; cacheKey: string } {
  const definition = definitionOf(name);
  // A run-wide fact's param ignores the subject (defineRunWideFact): jobs ask with none.
  const param = definition.param(subject as Subject, context.config, context.instanceUrl, context.now);
  return { definition, param, cacheKey: cacheKeyOf(name, definition.key(param)) };
}

function message(error: unknown): string {
  return String((error as Error)?.message ?? error);
}

/**
 * Run-scoped facts kept past their run (`keepMs`, the team): the bot holds one for all its
 * loaders, so `serve` reads the team once every ten minutes, not once per event. A failed
 * read is not kept: the next run asks again.
 */
export class KeptFacts {
  private readonly entries = new Map<string, { value: Promise<unknown>; expires: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  get(key: string): Promise<unknown> | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expires > this.clock()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** Forgets a kept fact before its time, after an event that changed it (a merge can change a project's templates). */
  forget(name: FactName, key: string): void {
    this.entries.delete(cacheKeyOf(name, key));
  }

  set(key: string, value: Promise<unknown>, keepMs: number): void {
    this.entries.set(key, { value, expires: this.clock() + keepMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
  }
}

export interface FactsLoaderOptions {
  config: BotConfig;
  gateway: GitLabGateway;
  /** The GitLab instance the bot talks to (GITLAB_URL, else gitlab.url). */
  instanceUrl?: string;
  /** The bot's own user (default: GET /user on each ask; the bot passes its cached one). */
  me?: () => Promise<UserRef>;
  /** The run's clock, fixed for the run: what facts see as `now`. */
  now?: Date;
  /** Facts kept across runs (`keepMs`); a loader of its own when left out. */
  kept?: KeptFacts;
  /** Where a fact says what an operator should know (a project that lacks a template file). */
  warn?: (line: string) => void;
}

interface Shared {
  deps: Omit<FactDeps, 'fact' | 'now'>;
  runCache: Map<string, Promise<unknown>>;
  kept: KeptFacts;
}

/**
 * Loads the facts rules and jobs ask for, through `FACTS`. One loader lives for one event
 * or one scheduled run: a run-scoped fact with the same key (a project's board, the
 * approver groups, the team) is read once per run, however many subjects ask at once;
 * subject-scoped facts (notes) live as long as the `SubjectFacts` of one subject, so a
 * sweep holds one subject's notes at a time.
 */
export class FactsLoader {
  private readonly shared: Shared;
  readonly now: Date;

  constructor(options: FactsLoaderOptions, shared?: Shared) {
    const { config, gateway } = options;
    this.now = options.now ?? new Date();
    this.shared = shared ?? {
      deps: { config, gateway, instanceUrl: options.instanceUrl ?? config.gitlab.url, me: options.me ?? (() => gateway.currentUser()), warn: options.warn },
      runCache: new Map(),
      kept: options.kept ?? new KeptFacts(),
    };
  }

  /** The same loader and caches with another clock: the weekly review's figures as of the end of its week. */
  at(now: Date): FactsLoader {
    return new FactsLoader({ config: this.shared.deps.config, gateway: this.shared.deps.gateway, now }, this.shared);
  }

  /** The facts of one subject. */
  forSubject(subject: Subject): SubjectFacts {
    return new SubjectFacts(subject, { ...this.shared.deps, now: this.now }, this.shared.runCache, this.shared.kept);
  }

  /** A fact that depends on no subject (the team, the bot's token), through the same caches. */
  runWide<K extends RunWideFactName>(name: K): Promise<FactTypes[K]> {
    const caches = { run: this.shared.runCache, subject: new Map<string, Promise<unknown>>(), kept: this.shared.kept };
    return readFact(name, null, depsFor(null, { ...this.shared.deps, now: this.now }, caches), caches);
  }

  /** Forget a run-scoped fact after a write that may have changed it (a board label on the project). */
  forget(name: FactName, subject: Subject): void {
    this.shared.runCache.delete(locate(name, subject, { ...this.shared.deps, now: this.now }).cacheKey);
  }
}

interface Caches {
  run: Map<string, Promise<unknown>>;
  subject: Map<string, Promise<unknown>>;
  kept: KeptFacts;
}

/** The deps a fact loader gets when reading for `subject` (null: a run-wide fact). */
function depsFor(subject: Subject | null, base: Omit<FactDeps, 'fact'>, caches: Caches): FactDeps {
  const deps: FactDeps = {
    ...base,
    fact: (name, other) => {
      if (other === subject) return readFact(name, other, deps, caches);
      // Another subject's facts (a board issue's label times) get a subject cache of their own and share the run's.
      const theirs = { ...caches, subject: new Map<string, Promise<unknown>>() };
      return readFact(name, other, depsFor(other, base, theirs), theirs);
    },
  };
  return deps;
}

/** One fact, read at most once for its key, even when asked for again while it loads. */
function readFact<K extends FactName>(name: K, subject: Subject | null, deps: FactDeps, caches: Caches): Promise<FactTypes[K]> {
  const { definition, param, cacheKey } = locate(name, subject, deps);
  const cache = definition.scope === 'run' ? caches.run : caches.subject;
  let value = cache.get(cacheKey) ?? (definition.keepMs !== undefined ? caches.kept.get(cacheKey) : undefined);
  if (!value) {
    value = definition.load(param, deps);
    value.catch(() => undefined);
    if (definition.keepMs !== undefined) caches.kept.set(cacheKey, value, definition.keepMs);
  }
  cache.set(cacheKey, value);
  return value as Promise<FactTypes[K]>;
}

export class SubjectFacts {
  private readonly caches: Caches;
  private readonly deps: FactDeps;

  constructor(
    readonly subject: Subject,
    deps: Omit<FactDeps, 'fact'>,
    runCache: Map<string, Promise<unknown>>,
    kept: KeptFacts = new KeptFacts(),
  ) {
    this.caches = { run: runCache, subject: new Map(), kept };
    this.deps = depsFor(subject, deps, this.caches);
  }

  /** One fact, read at most once for its key, even when asked for again while it loads. */
  get<K extends FactName>(name: K): Promise<FactTypes[K]> {
    return readFact(name, this.subject, this.deps, this.caches);
  }

  /** The value of a fact when it was read already for this subject (the executor reuses notes). */
  async peek<K extends FactName>(name: K): Promise<FactTypes[K] | undefined> {
    const { definition, cacheKey } = locate(name, this.subject, this.deps);
    const value = (definition.scope === 'run' ? this.caches.run : this.caches.subject).get(cacheKey);
    return value ? ((await value.catch(() => undefined)) as FactTypes[K] | undefined) : undefined;
  }

  /**
   * Loads the named facts in parallel (the gateway bounds the requests in flight,
   * `gitlab.concurrency`), each on its own: one that cannot be read (a missing team group,
   * a 5xx after retries) is left out and reported; the planner decides which rules it stops.
   */
  async load(names: Iterable<FactName>): Promise<LoadedFacts> {
    const list = [...names];
    // `async`: a parameter or loader that throws at once (a fact asked of the wrong kind of subject) is that fact's failure too.
    const results = await Promise.allSettled(list.map(async (name) => this.get(name)));
    const facts: Partial<Record<FactName, unknown>> = {};
    const failures: FactFailure[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') facts[list[i]!] = result.value;
      else failures.push({ fact: list[i]!, error: message(result.reason) });
    });
    return { facts: facts as Partial<FactTypes>, failures };
  }
}
