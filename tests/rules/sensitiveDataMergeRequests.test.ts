import { describe, expect, it } from 'vitest';
import type { PlannedAction } from '../../src/engine/changes.js';
import type { MergeRequest, Note } from '../../src/gitlab/types.js';
import type { Action } from '../../src/rules/actions.js';
import { sensitiveDataMergeRequests as rule } from '../../src/rules/sensitiveDataMergeRequests.js';
import type { FactTypes, Trigger } from '../../src/rules/types.js';
import { buildContext, buildMergeRequestSubject, buildNote, defaultConfig, evaluate, runs } from '../helpers/builders.js';
import { fake } from '../secrets/fakeSecrets.js';

const PUBLIC = 'support-team-meta';
const PRIVATE = 'internal-requests';
const SWEEP: Trigger = { kind: 'job', job: 'sweep' };
const LABEL = defaultConfig.labels.sensitiveData;
const BOT = { id: 2, username: 'support-bot' };

const mr = (overrides: Partial<MergeRequest> = {}, accessLevel?: number, key = PUBLIC) => buildMergeRequestSubject(key, overrides, { accessLevel });
function planned(subject: ReturnType<typeof mr>, facts: Partial<FactTypes> = {}, trigger: Trigger = SWEEP): PlannedAction[] {
  const ctx = buildContext({ trigger, facts: { notes: [], botUser: BOT, ...facts } });
  return evaluate(rule, subject, ctx).map((r) => ({ rule: rule.key, ...r }));
}
const actions = (...args: Parameters<typeof planned>): Action[] => planned(...args).map((p) => p.action);
const noticeOf = (list: Action[]): string => {
  const note = list.find((a) => a.type === 'upsertNote');
  return note?.type === 'upsertNote' ? note.body : '';
};
const noteEvent = (note: Note): Trigger => ({
  kind: 'event',
  event: { key: 'note.merge_request', kind: 'note', actor: note.author, projectId: 1, projectPath: 'p', iid: 1, noteId: note.id, noteBody: note.body, payload: {} as never },
});

describe('sensitive-data on merge requests (issue 21 case 5)', () => {
  it('redacts the title and description byte for byte, labels the merge request and tells the author to revoke', () => {
    const description = `Config:\r\n\r\n\`\`\`\r\n${fake.glpat}\r\n\`\`\`\r\n`;
    const list = actions(mr({ title: `Use ${fake.gldt} in CI`, description }));
    expect(list).toContainEqual({ type: 'setTitle', title: 'Use [REDACTED] in CI' });
    expect(list).toContainEqual({ type: 'setDescription', description: description.replace(fake.glpat, '[REDACTED]') });
    expect(list).toContainEqual({ type: 'addLabels', labels: [LABEL] });
    expect(list.some((a) => a.type === 'setConfidential')).toBe(false);
    const body = noticeOf(list);
    expect(body).toMatch(/^\*\*Revoke and rotate it now\.\*\* This merge request is public/);
    expect(body).toContain('- a GitLab deploy token in the title: I replaced it with `[REDACTED]`.');
    expect(body).toContain('- a GitLab personal, project or group access token in the description: I replaced it with `[REDACTED]`.');
    expect(body).toMatch(/old title .*\*\*anyone who can see this merge request\*\* can still read it; GitLab's API cannot remove that note/);
    expect(body).toMatch(/old description .*\*\*anyone who can see this merge request\*\* can still read it; GitLab's API cannot remove it/);
    expect(JSON.stringify(planned(mr({ title: `Use ${fake.gldt} in CI`, description })))).not.toMatch(new RegExp(`${fake.gldt}|${fake.glpat}`));
  });

  it("a comment's secret: redacted as Maintainer (after the notice), otherwise named with the role it takes", () => {
    const comment = buildNote({ id: 41, body: `try ${fake.glptt}`, author: { id: 9, username: 'contributor' } });
    const asMaintainer = actions(mr({}, 40), { notes: [comment] });
    expect(asMaintainer.map((a) => a.type)).toEqual(['addLabels', 'upsertNote', 'redactComment']);
    expect(asMaintainer).toContainEqual({ type: 'redactComment', noteId: 41, body: 'try [REDACTED]' });
    expect(noticeOf(asMaintainer)).toMatch(/- a GitLab pipeline trigger token in \[a comment\]\(.*#note_41\): I replaced it with `\[REDACTED\]`\./);
    for (const accessLevel of [30, undefined]) {
      const list = actions(mr({}, accessLevel), { notes: [comment] }, noteEvent(comment));
      expect(list.some((a) => a.type === 'redactComment')).toBe(false);
      expect(noticeOf(list)).toMatch(/please edit or delete that comment yourself/);
      expect(noticeOf(list)).toMatch(/the bot needs the Maintainer role in this project/);
    }
  });

  it("keeps naming what an earlier notice covered when a new secret comes (the notice's record)", () => {
    const first = actions(mr({ title: `Use ${fake.gldt}` }, 40));
    const notice = buildNote({ author: BOT, body: `<!-- support-bot:sensitive-data -->\n${noticeOf(first)}` });
    const comment = buildNote({ id: 42, body: fake.glft, author: { id: 9, username: 'contributor' } });
    const again = noticeOf(actions(mr({ title: 'Use [REDACTED]', labels: [LABEL] }, 40), { notes: [notice, comment] }));
    expect(again).toContain('- a GitLab deploy token in the title');
    expect(again).toContain('- a GitLab feed token in [a comment]');
  });

  it('owes the notice of a run killed after its PUT: posts it from the change notes, and nothing once posted', () => {
    const labelled = mr({ title: 'Use [REDACTED] in CI', labels: [LABEL] });
    const change = buildNote({ system: true, author: BOT, body: `changed title from **Use {-${fake.gldt}-} in CI** to **Use {+[REDACTED]+} in CI**` });
    const list = actions(labelled, { notes: [change] });
    expect(list.map((a) => a.type)).toEqual(['addLabels', 'upsertNote']);
    expect(noticeOf(list)).toContain('- a GitLab deploy token in the title: I replaced it with `[REDACTED]`.');
    const notice = buildNote({ author: BOT, body: `<!-- support-bot:sensitive-data -->\n${noticeOf(list)}` });
    expect(actions(labelled, { notes: [change, notice] })).toEqual([]);
    // Labelled by a person, no redaction of ours in the history: nothing owed.
    expect(actions(labelled, { notes: [] })).toEqual([]);
  });

  it("leaves private projects, clean merge requests and the bot's own or system notes alone", () => {
    expect(runs(rule, mr({ title: fake.glpat }, 40, PRIVATE), buildContext({ trigger: SWEEP }))).toBe(false);
    expect(actions(mr({ title: 'Fix typo' }))).toEqual([]);
    const own = buildNote({ author: BOT, body: fake.glpat });
    const system = buildNote({ system: true, author: { id: 9, username: 'x' }, body: `changed the description ${fake.glpat}` });
    expect(actions(mr(), { notes: [own, system] })).toEqual([]);
  });

  it('reads comments only when something could need them', () => {
    const ctx = (trigger: Trigger) => buildContext({ trigger });
    expect(rule.applies(mr({ title: 'Clean', userNotesCount: 0 }), ctx(SWEEP))).toBe(false);
    expect(rule.applies(mr({ title: 'Clean', userNotesCount: 2 }), ctx(SWEEP))).toBe(true);
    expect(rule.applies(mr({ title: 'Clean' }), ctx(SWEEP))).toBe(true);
    expect(rule.applies(mr({ title: 'Clean', labels: [LABEL], userNotesCount: 0 }), ctx(SWEEP))).toBe(true);
    const clean = buildNote({ body: 'LGTM' });
    expect(rule.applies(mr({ title: 'Clean' }), ctx(noteEvent(clean)))).toBe(false);
    expect(rule.applies(mr({ title: 'Clean' }), ctx(noteEvent(buildNote({ body: fake.glpat }))))).toBe(true);
    expect(rule.runsOn.events['merge_request.update']).toEqual(['title', 'description', 'labels']);
    expect(rule.runsOn.events['merge_request.merge']).toBe('always');
  });
});
