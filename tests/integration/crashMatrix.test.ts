import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crashAndRecover, crashCases, reference, verdict, type CrashCase } from '../helpers/crashMatrix.js';
import { FLOWS } from './crashFlows.js';

// Issue 21, as a class: every flow that makes more than one write, killed at its writes (before
// one is sent, and after GitLab applied it but before the answer), then run again by a new
// process until it writes nothing, ends where the uncrashed flow ends: nothing lost, nothing
// twice. `npm test` kills each flow at its first and last writes; `CRASH_MATRIX=full` at every
// write, and `CRASH_MATRIX_TABLE=<file>` appends its rows to that file (bench/README.md).

const full = process.env['CRASH_MATRIX'] === 'full';
const table = process.env['CRASH_MATRIX_TABLE'];
const representative = (writes: number) => (kill: CrashCase) => full || kill.at === 1 || kill.at === writes;

describe.each(FLOWS)('$name', (flow) => {
  it('killed before and after its writes, converges on the uncrashed state', async () => {
    const expected = await reference(flow);
    expect(expected.writes, 'a flow of the matrix writes more than once').toBeGreaterThan(1);
    for (const kill of crashCases(expected.writes).filter(representative(expected.writes))) {
      const outcome = await crashAndRecover(flow, kill);
      const result = verdict(flow, expected.state, outcome);
      const row = `| ${flow.name} | ${kill.at} of ${expected.writes} | ${kill.mode} | ${result} | ${outcome.reruns} |`;
      if (table) appendFileSync(table, `${row}\n`);
      if (result === 'no') expect.soft(outcome.state, `killed ${kill.mode} write ${kill.at}: ${outcome.error ?? 'another end state'}`).toEqual(expected.state);
      expect.soft(result, `killed ${kill.mode} write ${kill.at}`).not.toBe('no');
    }
  }, 900_000);
});
