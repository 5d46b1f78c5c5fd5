import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The import boundaries of .dependency-cruiser.cjs, proven to bite: throwaway rule and fact
// files are added to a copy of src/ and cruised with the project's own configuration, as
// `npm run lint` does.

const ROOT = resolve(import.meta.dirname, '../..');

/** name → source of the throwaway modules, and the violations each must (or must not) raise. */
const FIXTURES: Record<string, { source: string; violations: string[] }> = {
  'src/rules/pureRule.ts': {
    source: `import { z } from 'zod';
import type { ApprovalEvidence } from '../facts/index.js';
import type { Issue } from '../gitlab/types.js';
import { subjectItem } from '../subjects.js';
import { JOB_NAMES } from '../jobs/names.js';
export const pure = [z, subjectItem, JOB_NAMES] as const;
export type Pure = [ApprovalEvidence, Issue];
`,
    violations: [],
  },
  'src/rules/ruleImportsGateway.ts': { source: `import { RestGateway } from '../gitlab/gateway.js';\nexport const g = RestGateway;\n`, violations: ['rules-are-pure'] },
  'src/rules/ruleImportsTransport.ts': { source: `import * as t from '../gitlab/transport.js';\nexport const x = t;\n`, violations: ['rules-are-pure'] },
  'src/rules/ruleImportsHttp.ts': { source: `import { request } from 'node:http';\nexport const r = request;\n`, violations: ['rules-are-pure'] },
  'src/rules/ruleImportsEngine.ts': { source: `import { Executor } from '../engine/executor.js';\nexport const e = Executor;\n`, violations: ['rules-are-pure'] },
  'src/rules/ruleImportsRuntime.ts': { source: `import { createRuntime } from '../runtime.js';\nexport const c = createRuntime;\n`, violations: ['rules-are-pure'] },
  'src/rules/ruleImportsNotifier.ts': { source: `import { notify } from '../notify/chat.js';\nexport const n = notify;\n`, violations: ['rules-are-pure'] },
  'src/rules/ruleImportsGitbeaker.ts': { source: `import { Gitlab } from '@gitbeaker/rest';\nexport const g = Gitlab;\n`, violations: ['rules-are-pure'] },
  'src/rules/ruleLoadsFacts.ts': { source: `import { FACTS } from '../facts/index.js';\nexport const f = FACTS;\n`, violations: ['rules-see-fact-types-only'] },
  'src/facts/pureFact.ts': {
    source: `import { collect } from '../gitlab/collect.js';
import { isGitLabError } from '../gitlab/errors.js';
import type { GitLabGateway } from '../gitlab/types.js';
export const read = (gateway: GitLabGateway) => collect(gateway.listNotes({ projectId: 1, kind: 'issue', iid: 1 })).catch((e: unknown) => isGitLabError(e));
`,
    violations: [],
  },
  'src/facts/factImportsGateway.ts': { source: `import { RestGateway } from '../gitlab/gateway.js';\nexport const g = RestGateway;\n`, violations: ['facts-read-through-deps'] },
  'src/facts/factImportsRequester.ts': { source: `import * as r from '../gitlab/requester.js';\nexport const x = r;\n`, violations: ['facts-read-through-deps'] },
  'src/facts/factImportsHttps.ts': { source: `import { request } from 'node:https';\nexport const r = request;\n`, violations: ['facts-read-through-deps'] },
  'src/facts/factImportsNet.ts': { source: `import { connect } from 'node:net';\nexport const c = connect;\n`, violations: ['facts-read-through-deps'] },
  'src/facts/factImportsPackage.ts': { source: `import PQueue from 'p-queue';\nexport const q = PQueue;\n`, violations: ['facts-read-through-deps'] },
  'src/facts/factImportsEngine.ts': { source: `import { FactsLoader } from '../engine/facts.js';\nexport const l = FactsLoader;\n`, violations: ['facts-read-through-deps'] },
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

let copy: string;

beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'purity-'));
  await cp(join(ROOT, 'src'), join(copy, 'src'), { recursive: true });
  await cp(join(ROOT, 'tsconfig.json'), join(copy, 'tsconfig.json'));
  // The project's configuration as it is; node_modules is linked in, so packages keep their paths.
  const config = JSON.stringify(join(ROOT, '.dependency-cruiser.cjs'));
  await writeFile(join(copy, 'depcruise.cjs'), `const c = require(${config});\nmodule.exports = { ...c, options: { ...c.options, preserveSymlinks: true } };\n`);
  await symlink(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
  // A notifier that does not exist yet is outside the allow-list all the same.
  await mkdir(join(copy, 'src/notify'), { recursive: true });
  await writeFile(join(copy, 'src/notify/chat.ts'), 'export const notify = () => undefined;\n');
  for (const [name, { source }] of Object.entries(FIXTURES)) await writeFile(join(copy, name), source);
});

afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

async function cruise(files: string[]): Promise<Violation[]> {
  const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const run = promisify(execFile);
  // Exit code 1 is "violations found": the JSON on stdout says which.
  const { stdout } = await run(process.execPath, [bin, ...files, '--config', 'depcruise.cjs', '--output-type', 'json', '--max-depth', '1'], {
    cwd: copy,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

describe('import boundaries of rules and facts (.dependency-cruiser.cjs)', () => {
  it('reports each forbidden import of a throwaway rule or fact, and none of the allowed ones', { timeout: 60_000 }, async () => {
    const violations = await cruise(Object.keys(FIXTURES));
    const found = Object.fromEntries(Object.keys(FIXTURES).map((name) => [name, violations.filter((v) => v.from === name).map((v) => v.rule.name)]));
    expect(found).toEqual(Object.fromEntries(Object.entries(FIXTURES).map(([name, f]) => [name, f.violations])));
  });
});
