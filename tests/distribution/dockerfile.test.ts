import { readFileSync } from 'node:fs';
import { DockerfileParser, type Copy, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';

// No Docker engine on these machines: the Dockerfile's structure is what can be checked here
// (the bundle it copies is tested by tests/distribution/bundle.test.ts).

const dockerfile = DockerfileParser.parse(readFileSync('Dockerfile', 'utf8'));
const nodeVersion = readFileSync('.node-version', 'utf8').trim();
const instructions = dockerfile.getInstructions();
const fromIndexes = instructions.flatMap((i, n) => (i.getKeyword() === 'FROM' ? [n] : []));
const runtime = instructions.slice(fromIndexes.at(-1));
const build = instructions.slice(fromIndexes[0], fromIndexes.at(-1));
const args = (i: Instruction) => i.getArgumentsContent() ?? '';
const only = (stage: Instruction[], keyword: string) => stage.filter((i) => i.getKeyword() === keyword);
const jsonArgs = (i: Instruction) => JSON.parse(args(i)) as string[];

describe('Dockerfile', () => {
  it('is multi-stage, both stages on the Node of .node-version', () => {
    expect(fromIndexes.length).toBeGreaterThanOrEqual(2);
    const arg = dockerfile.getARGs().find((a) => a.getProperty()?.getName() === 'NODE_VERSION');
    expect(arg?.getProperty()?.getValue()).toBe(nodeVersion);
    for (const n of fromIndexes) expect(args(instructions[n]!)).toMatch(/^node:\$\{NODE_VERSION\}-[a-z0-9.-]+ AS \w+$/);
  });

  it('builds the bundle in the build stage', () => {
    expect(only(build, 'RUN').map(args)).toContain('npm run bundle');
  });

  it('runtime stage: Node and the bundle only (no npm install, no sources)', () => {
    const copies = only(runtime, 'COPY');
    expect(copies).toHaveLength(1);
    expect(args(copies[0]!)).toMatch(/^\/src\/bundle\/support-bot\.mjs \S+$/);
    expect(
      (copies[0] as Copy)
        .getFlags()
        .find((f) => f.getName() === 'from')
        ?.getValue(),
    ).toBe('build');
    expect(only(runtime, 'ADD')).toEqual([]);
    for (const run of only(runtime, 'RUN')) expect(args(run)).not.toMatch(/\bnpm\b|\bnpx\b|\byarn\b/);
  });

  it('runs as a non-root user, with the CLI as ENTRYPOINT and serve as the default command', () => {
    const users = only(runtime, 'USER');
    expect(users.length).toBeGreaterThan(0);
    expect(args(users.at(-1)!)).not.toMatch(/^(root|0)(:|$)/);
    expect(runtime.indexOf(users.at(-1)!)).toBeLessThan(runtime.indexOf(only(runtime, 'ENTRYPOINT')[0]!));
    expect(jsonArgs(only(runtime, 'ENTRYPOINT')[0]!)).toEqual(['support-bot']);
    expect(jsonArgs(only(runtime, 'CMD')[0]!)).toEqual(['serve']);
  });

  it('exposes the port serve listens on, and checks /healthz there', () => {
    const env = only(runtime, 'ENV').map(args).join(' ');
    const port = /\bPORT=(\d+)/.exec(env)?.[1];
    expect(port).toBeDefined();
    expect(only(runtime, 'EXPOSE').map(args)).toEqual([port]);
    const healthcheck = only(runtime, 'HEALTHCHECK').map(args).join(' ');
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).toMatch(new RegExp(`process\\.env\\.PORT \\|\\| ${port}`));
  });
});
