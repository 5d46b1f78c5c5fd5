import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LoadedConfig } from '../../src/config/load.js';
import { startStack, type Stack, type StackOptions } from '../../src/demo/stack.js';
import { silentLogger } from '../../src/logger.js';
import type { AnyRule } from '../../src/rules/types.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { SANDBOX_TOKENS, startSlackStandIn, type SlackStandIn } from '../../src/sandbox/index.js';
import type { Fault } from '../../src/sandbox/faults.js';
import { cliEnv, SHIPPED_CLI } from './cli.js';

// The crash matrix (issue 21, "every write that must be followed by another must be finishable
// by the next run after a crash"). A flow runs against the sandbox and the Slack stand-in; the
// bot is killed at its N-th write, for every N, in two ways:
//   - `before`: the process dies before write N is sent (it never reaches GitLab or Slack);
//   - `after`:  GitLab (or Slack) applied write N, and the process died before the answer;
//   - `answer-lost`: GitLab applied write N and the connection dropped, but the process lives on
//     (its retries and re-checks must not write it twice).
// The kill is made where every write arrives: the sandbox's request pipeline and the Slack
// stand-in. From write N on, every request the dead run still makes is refused (GitLab: 401,
// which stops a run at once; Slack: 500), so nothing more reaches either side. Then the next
// run, a fresh runtime with no memory of the dead one, runs until it writes nothing, and the
// state of GitLab and Slack must equal that of a run that was never killed.

export type KillMode = 'before' | 'after' | 'answer-lost';

export interface CrashWorld {
  stack: Stack;
  slack: SlackStandIn;
  /** The flow's instant: the sandbox's clock and the bot's. */
  now: Date;
  /** A new bot process on the same GitLab and Slack, at `now` (the flow's by default): nothing of an earlier run's memory. */
  freshRuntime(now?: Date): Runtime;
  /**
   * Runs a command of the built CLI (`node dist/cli.js …`) as the bot, against this GitLab: a
   * real process, which a kill ends with SIGKILL. Resolves with its exit code once it is gone.
   */
  cli(args: string[], env?: Record<string, string>): Promise<number | null>;
  /** The CLI process running now, if any: what a kill kills. */
  running?: ChildProcess | undefined;
  close(): Promise<void>;
}

export interface CrashFlow {
  name: string;
  rules: readonly AnyRule[];
  /** The config the bot runs with (the shipped one otherwise). */
  loaded?: (base: LoadedConfig, slack: SlackStandIn) => LoadedConfig;
  chatEnv?: (slack: SlackStandIn) => Record<string, string>;
  stack?: Partial<StackOptions>;
  /** When the flow runs (the suite's instant by default). */
  now?: Date;
  /** GitLab as it is before the flow: written straight to the store. */
  seed?(world: CrashWorld): void | Promise<void>;
  /** The flow, as one run of the bot (killed or not). */
  run(world: CrashWorld, runtime: Runtime): Promise<void>;
  /**
   * What GitLab cannot give back after a crash, with why: applied to both states before they
   * are compared (nothing by default).
   */
  equivalent?: (state: WorldState) => WorldState;
  /**
   * A chat message is claimed (the bot's award) before it is sent and cannot be read back: a
   * kill between the claim and Slack's answer loses it, by design (docs/notifications.md: at
   * most once). Such a flow's messages are compared as "none twice, none that was not owed".
   */
  chatAtMostOnce?: boolean;
  /** The next run after a crash (a scheduled job, the next webhook): `run` by default. */
  rerun?(world: CrashWorld, runtime: Runtime): Promise<void>;
}

/** One instant for the sandbox and the bot, fixed when the suite loads: runs compare equal, and no test sleeps. */
export const CRASH_CLOCK = new Date();

export async function startWorld(flow: CrashFlow): Promise<CrashWorld> {
  const slack = await startSlackStandIn();
  const { configuredRules, loadConfig } = await import('../../src/config/load.js');
  const base = loadConfig(undefined, configuredRules(flow.rules));
  const loaded = flow.loaded ? flow.loaded(base, slack) : base;
  const chatEnv = flow.chatEnv?.(slack) ?? {};
  const stack = await startStack({ rules: flow.rules, loaded, hooks: false, chatEnv, chatIntervalMs: 0, ...flow.stack });
  const now = flow.now ?? CRASH_CLOCK;
  stack.sandbox.store.clock = () => now;
  const world: CrashWorld = {
    stack,
    slack,
    now,
    freshRuntime: (at = now) => {
      // The bot's own writes happen at the time of its run.
      stack.sandbox.store.clock = () => at;
      return createRuntime({
        log: silentLogger,
        loaded: stack.runtime.loaded,
        rules: flow.rules,
        now: () => at,
        env: { gitlabUrl: stack.sandbox.url, gitlabToken: SANDBOX_TOKENS.bot, webhookSecret: undefined, port: undefined },
        chatEnv,
        chatIntervalMs: 0,
      });
    },
    cli(args, env = {}) {
      const child = spawn(process.execPath, [SHIPPED_CLI.dist, ...args], {
        env: cliEnv({ GITLAB_URL: stack.sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot, SUPPORT_BOT_CONFIG: 'config/support-bot.yml', LOG_LEVEL: 'silent', ...env }),
        stdio: 'ignore',
      });
      world.running = child;
      return new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => {
          if (world.running === child) world.running = undefined;
          resolve(code);
        });
      });
    },
    async close() {
      await stack.close();
      await slack.close();
    },
  };
  await flow.seed?.(world);
  return world;
}

/** Writes that reached GitLab (non-GET API requests; the GraphQL query is a read) or Slack. */
export function writesSoFar(world: CrashWorld): number {
  const gitlab = world.stack.sandbox.requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/api/graphql') && r.status !== 401).length;
  return gitlab + world.slack.messages.length;
}

interface Kill {
  /** Lets requests through again, as for the next process. */
  heal(): void;
  /** Whether the kill point was reached (the run made at least `at` writes). */
  fired(): boolean;
}

/** Arms the kill at write `at` (1-based) in `mode`. */
export function killAt(world: CrashWorld, at: number, mode: KillMode): Kill {
  const { faults } = world.stack.sandbox;
  const take = faults.take.bind(faults);
  let writes = 0;
  let dead = false;
  const refused: Fault = { status: 401, afterApply: false, dropConnection: false };
  /** Counts a write; says what becomes of it. */
  const next = (): 'through' | 'refuse' | 'apply-then-die' | 'apply-unanswered' => {
    if (dead) return 'refuse';
    writes += 1;
    if (writes !== at) return 'through';
    if (mode === 'answer-lost') return 'apply-unanswered';
    dead = true;
    return mode === 'before' ? 'refuse' : 'apply-then-die';
  };
  // A CLI process is killed for real: at the write in `before` mode (it never sees an answer),
  // at its next request in `after` mode (the write applied and answered, nothing after it).
  const killProcess = () => world.running?.kill('SIGKILL');
  faults.take = (method: string, path: string): Fault | null => {
    if (dead) {
      killProcess();
      return refused;
    }
    if (method === 'GET' || path.startsWith('/api/graphql')) return take(method, path);
    const fate = next();
    if (fate === 'through') return take(method, path);
    if (fate === 'apply-then-die') return { ...refused, afterApply: true };
    if (fate === 'apply-unanswered') return { status: 500, afterApply: true, dropConnection: true };
    killProcess();
    return refused;
  };
  const slack = world.slack as unknown as { handle(req: IncomingMessage, res: ServerResponse): Promise<void> };
  const handle = slack.handle.bind(world.slack);
  slack.handle = (req, res) => {
    const fate = next();
    if (fate === 'through') return handle(req, res);
    if (fate === 'refuse') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('rollup_error');
      return Promise.resolve();
    }
    // Slack posts it; its answer never arrives (the connection drops).
    res.writeHead = (() => {
      res.socket?.destroy();
      return res;
    }) as typeof res.writeHead;
    return handle(req, res);
  };
  return {
    heal() {
      faults.take = take;
      slack.handle = handle;
    },
    fired: () => writes >= at,
  };
}

/** Runs `rerun` with fresh runtimes until one writes nothing; returns how many runs wrote. */
export async function untilConverged(world: CrashWorld, flow: CrashFlow, limit = 4): Promise<number> {
  for (let runs = 0; runs < limit; runs += 1) {
    const before = writesSoFar(world);
    await (flow.rerun ?? flow.run)(world, world.freshRuntime());
    if (writesSoFar(world) === before) return runs;
  }
  throw new Error(`${flow.name}: still writing after ${limit} reruns`);
}

export type WorldState = ReturnType<typeof worldState>;

// An owned issue's stamp says when it was written ("Generated…", "Regenerated…"): never compared (engine/executor.ts).
const STAMP = /(<!-- support-bot:stamp -->)[\s\S]*$/;

/** GitLab's and Slack's state, modulo ids and timestamps: what the bot's work left. */
export function worldState(world: CrashWorld) {
  const { store } = world.stack.sandbox;
  const name = (id: number | null) => (id === null ? null : (store.getUser(id)?.username ?? `#${id}`));
  const clean = (text: string) =>
    text
      .replaceAll(store.baseUrl, '<gitlab>')
      .replace(/note_\d+/g, 'note_<id>')
      .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?( UTC)?/g, '<time>');
  const project = (id: number) => store.getProject(id)?.pathWithNamespace ?? `#${id}`;
  const notesOf = (issuable: Parameters<typeof store.listNotes>[0]) =>
    store
      .listNotes(issuable)
      .filter((n) => !n.system)
      .map((n) => `${name(n.authorId)}${n.internal ? ' (internal)' : ''}: ${clean(n.body)}`);
  const awardsOf = (issuable: Parameters<typeof store.listAwards>[0]) =>
    store
      .listAwards(issuable)
      .map((a) => `${a.name} by ${name(a.userId)}`)
      .sort();
  return {
    issues: store.issues.map((i) => ({
      ref: `${project(i.projectId)}#${i.iid}`,
      title: clean(i.title),
      description: clean(i.description).replace(STAMP, '$1'),
      state: i.state,
      confidential: i.confidential,
      labels: [...i.labels].sort(),
      notes: notesOf(i),
      awards: awardsOf(i),
    })),
    mergeRequests: store.mergeRequests.map((m) => ({
      ref: `${project(m.projectId)}!${m.iid}`,
      title: clean(m.title),
      description: clean(m.description),
      state: m.state,
      source: m.sourceBranch,
      labels: [...m.labels].sort(),
      notes: notesOf(m),
      awards: awardsOf(m),
    })),
    statuses: store.statuses.map((s) => `${project(s.projectId)} ${s.sha.slice(0, 8)} ${s.name}=${s.state} ${s.description ?? ''}`),
    labels: store.labels.map((l) => `${project(l.projectId)} ${l.title} ${l.color} ${l.description ?? ''}`),
    commits: [...store.commits].flatMap(([projectId, commits]) => commits.map((c) => `${project(projectId)} ${c.branch}: ${clean(c.title)}`)),
    files: [...store.files].flatMap(([projectId, branches]) =>
      [...branches].flatMap(([branch, files]) => [...files].map(([path, content]) => `${project(projectId)} ${branch}:${path} ${content.length}`)),
    ),
    schedules: store.pipelineSchedules.map((s) => ({
      project: project(s.projectId),
      description: s.description,
      ref: s.ref,
      cron: `${s.cron} ${s.cronTimezone}`,
      active: s.active,
      owner: name(s.ownerId),
      variables: s.variables.map((v) => `${v.key}=${v.value}`).sort(),
    })),
    users: store.users.map((u) => u.username).sort(),
    slack: world.slack.messages.map((m) => `${m.hook}: ${clean(JSON.stringify(m.payload))}`),
  };
}

export interface CrashCase {
  at: number;
  mode: KillMode;
}

/** Every kill point of a flow that makes `writes` writes uncrashed. */
export function crashCases(writes: number): CrashCase[] {
  return Array.from({ length: writes }, (_, i) => i + 1).flatMap((at) => (['before', 'after', 'answer-lost'] as const).map((mode) => ({ at, mode })));
}

/** The uncrashed run, then its reruns: the state every crashed run must end in, and its write count. */
export async function reference(flow: CrashFlow): Promise<{ state: WorldState; writes: number }> {
  const world = await startWorld(flow);
  try {
    const before = writesSoFar(world);
    await flow.run(world, world.freshRuntime());
    const writes = writesSoFar(world) - before;
    await untilConverged(world, flow);
    return { state: worldState(world), writes };
  } finally {
    await world.close();
  }
}

export interface CrashOutcome {
  converged: boolean;
  reruns: number;
  state: WorldState;
  error?: string;
}

/** Kills the flow at one point, reruns it until it writes nothing, and returns where GitLab ended. */
export async function crashAndRecover(flow: CrashFlow, kill: CrashCase): Promise<CrashOutcome> {
  const world = await startWorld(flow);
  try {
    const armed = killAt(world, kill.at, kill.mode);
    // The dead run's own error, if it escapes, is the crash: what matters is what GitLab holds.
    await flow.run(world, world.freshRuntime()).catch(() => undefined);
    armed.heal();
    if (!armed.fired()) throw new Error(`${flow.name}: the run made fewer than ${kill.at} writes`);
    const reruns = await untilConverged(world, flow);
    return { converged: true, reruns, state: worldState(world) };
  } catch (error) {
    return { converged: false, reruns: -1, state: worldState(world), error: String(error) };
  } finally {
    await world.close();
  }
}

export type Verdict = 'yes' | 'yes, a message lost (at most once)' | 'no';

/** Whether a crashed flow ended where the uncrashed one did (as `flow` allows comparing them). */
export function verdict(flow: CrashFlow, expected: WorldState, outcome: CrashOutcome): Verdict {
  if (!outcome.converged) return 'no';
  const same = (a: WorldState, b: WorldState) => JSON.stringify(a) === JSON.stringify(b);
  const equivalent = flow.equivalent ?? ((state: WorldState) => state);
  const [want, got] = [equivalent(expected), equivalent(outcome.state)];
  if (!flow.chatAtMostOnce) return same(want, got) ? 'yes' : 'no';
  const sent = got.slack;
  const owedOnce = new Set(sent).size === sent.length && sent.every((m) => want.slack.includes(m));
  if (!owedOnce || !same({ ...want, slack: [] }, { ...got, slack: [] })) return 'no';
  return sent.length === want.slack.length ? 'yes' : 'yes, a message lost (at most once)';
}

/** In `npm test`: killed after its first write lands, before its last is sent, and its first answer lost. */
const representative = (writes: number) => (kill: CrashCase) => (kill.at === 1 && kill.mode !== 'before') || (kill.at === writes && kill.mode === 'before');

/**
 * One test per flow: the uncrashed run first, then each kill point, each rerun until quiet and
 * compared with it. `npm test` takes three representative points per flow; `CRASH_MATRIX=full`
 * every write in every mode (`CRASH_MODE=<mode>`: that mode only), and
 * `CRASH_MATRIX_TABLE=<file>` appends one table row per point to that file (bench/README.md).
 */
export function describeCrashMatrix(flows: readonly CrashFlow[]): void {
  const full = process.env['CRASH_MATRIX'] === 'full';
  const onlyMode = process.env['CRASH_MODE'];
  const table = process.env['CRASH_MATRIX_TABLE'];
  describe.each(flows)('$name', (flow) => {
    it('killed at its writes (before sent, after applied, answer lost), converges on the uncrashed state', async () => {
      const expected = await reference(flow);
      expect(expected.writes, 'a flow of the matrix writes more than once').toBeGreaterThan(1);
      const points = crashCases(expected.writes).filter((kill) => (full || representative(expected.writes)(kill)) && (!onlyMode || kill.mode === onlyMode));
      for (const kill of points) {
        const outcome = await crashAndRecover(flow, kill);
        const result = verdict(flow, expected.state, outcome);
        if (table) appendFileSync(table, `| ${flow.name} | ${kill.at} of ${expected.writes} | ${kill.mode} | ${result} | ${outcome.reruns} |\n`);
        if (result === 'no') expect.soft(outcome.state, `killed ${kill.mode} write ${kill.at}: ${outcome.error ?? 'another end state'}`).toEqual(expected.state);
        expect.soft(result, `killed ${kill.mode} write ${kill.at}`).not.toBe('no');
      }
    }, 900_000);
  });
}
