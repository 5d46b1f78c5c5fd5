import { describe, expect, it } from 'vitest';
import { crashAndRecover, reference, verdict, type CrashFlow } from '../helpers/crashMatrix.js';
import { slackNotify, triage } from './crashFlows.js';

// The crash matrix's harness bites: a flow whose next run does not finish is caught, and so is
// a chat message sent twice or one nobody owed.

describe('crash matrix harness', () => {
  it('a killed flow that nothing finishes is reported as not converged on the uncrashed state', async () => {
    const expected = await reference(triage);
    const neverFinished: CrashFlow = { ...triage, rerun: async () => undefined };
    const outcome = await crashAndRecover(neverFinished, { at: 1, mode: 'after' });
    expect(outcome.converged).toBe(true);
    expect(verdict(neverFinished, expected.state, outcome)).toBe('no');
    // The same point, finished by the real next run.
    expect(verdict(triage, expected.state, await crashAndRecover(triage, { at: 1, mode: 'after' }))).toBe('yes');
  });

  it('a chat message twice, or one not owed, is "no" even where messages are at most once', async () => {
    const expected = await reference(slackNotify);
    const [first] = expected.state.slack;
    expect(first).toBeDefined();
    const sent = (slack: string[]) => ({ converged: true, reruns: 0, state: { ...expected.state, slack } });
    expect(verdict(slackNotify, expected.state, sent(expected.state.slack))).toBe('yes');
    expect(verdict(slackNotify, expected.state, sent(expected.state.slack.slice(1)))).toBe('yes, a message lost (at most once)');
    expect(verdict(slackNotify, expected.state, sent([...expected.state.slack, first!]))).toBe('no');
    expect(verdict(slackNotify, expected.state, sent([...expected.state.slack.slice(1), 'support-new: {"text":"not owed"}']))).toBe('no');
  });
});
