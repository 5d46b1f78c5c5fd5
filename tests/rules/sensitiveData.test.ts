import { describe, expect, it } from 'vitest';
import type { BotConfig } from '../../src/config/schema.js';
import type { Action } from '../../src/rules/actions.js';
import type { PlannedAction } from '../../src/engine/changes.js';
import type { NoteEvent } from '../../src/events/types.js';
import type { Issue, Note } from '../../src/gitlab/types.js';
import { DESCRIPTION_MAX, TITLE_MAX, redactWithinLimit, sensitiveData } from '../../src/rules/sensitiveData.js';
import { findSecrets } from '../../src/secrets/detectors.js';
import type { FactTypes, IssueSubject, Trigger } from '../../src/rules/types.js';
import { buildContext, buildIssueTrigger, buildNote, buildSubject, defaultConfig, evaluate, runs } from '../helpers/builders.js';
import { fake, pemBlock } from '../secrets/fakeSecrets.js';

const PUBLIC = 'support-team-meta';
const PRIVATE = 'internal-requests';
const SWEEP: Trigger = { kind: 'job', job: 'sweep' };
const { sensitiveData: LABEL } = defaultConfig.labels;
const TEAM = new Set(['sasha-support']);

function planned(subject: IssueSubject, facts: Partial<FactTypes> = {}, trigger: Trigger = SWEEP, config: BotConfig = defaultConfig): PlannedAction[] {
  const ctx = buildContext({ config, trigger, facts: { notes: [], teamMembers: TEAM, ...facts } });
  return evaluate(sensitiveData, subject, ctx).map((r) => ({ rule: sensitiveData.key, ...r }));
}
const actions = (...args: Parameters<typeof planned>): Action[] => planned(...args).map((p) => p.action);
const commentTrigger = (body: string): Trigger => noteTrigger(buildNote({ body, author: { id: 9, username: 'reporter' } }));
const noteOf = (list: Action[]): string => {
  const note = list.find((a) => a.type === 'upsertNote');
  return note?.type === 'upsertNote' ? note.body : '';
};
const descriptionOf = (list: Action[]): string | undefined => {
  const edit = list.find((a) => a.type === 'setDescription');
  return edit?.type === 'setDescription' ? edit.description : undefined;
};

function noteTrigger(note: Note): Trigger {
  const event: NoteEvent = {
    key: 'note.issue',
    kind: 'note',
    actor: note.author,
    projectId: 1,
    projectPath: 'gitlab-com/support/support-team-meta',
    iid: 1,
    noteId: note.id,
    noteBody: note.body,
    payload: {} as NoteEvent['payload'],
  };
  return { kind: 'event', event };
}

const issue = (overrides: Partial<Issue>) => buildSubject(PUBLIC, overrides);

describe('sensitive-data: secrets', () => {
  it('makes the issue confidential, redacts the token in the description, labels it and asks to revoke', () => {
    const description = `My pipeline fails with this token:\n\n\`\`\`shell\nexport GITLAB_TOKEN=${fake.glpat}\n\`\`\`\n\nAny idea?`;
    const list = actions(issue({ description }));
    expect(list).toContainEqual({ type: 'setConfidential', confidential: true });
    expect(list).toContainEqual({ type: 'addLabels', labels: [LABEL] });
    // Byte-identical apart from the token.
    expect(descriptionOf(list)).toBe(description.replace(fake.glpat, '[REDACTED]'));
    const body = noteOf(list);
    expect(body).toMatch(/^\*\*Revoke and rotate it now\.\*\*/);
    expect(body).not.toMatch(/Thanks for the details/);
    expect(body).toContain('- a GitLab personal, project or group access token in the description: I replaced it with `[REDACTED]`.');
    expect(body).toMatch(/GitLab keeps the old description in this issue's history .*every member of this project can still read it; GitLab's API cannot remove it/);
    expect(body).not.toMatch(/old title/);
    expect(body).not.toMatch(/vulnerability report/);
  });

  it('never lets the secret into the note or a reason', () => {
    const description = `token ${fake.glpat}\n${pemBlock()}\naws_secret_access_key = ${fake.awsSecret}`;
    const comment = buildNote({ body: `here is mine: ${fake.gldt}` });
    const plan = planned(issue({ description, title: `Runner ${fake.glrt} fails` }), { notes: [comment] });
    expect(plan.length).toBeGreaterThan(0);
    const said = JSON.stringify(plan.map((p) => (p.action.type === 'setDescription' ? p.reason : p)));
    for (const secret of [fake.glpat, fake.gldt, fake.glrt, fake.awsSecret, fake.privateKeyBody.split('\n')[0]!]) expect(said).not.toContain(secret);
    expect(plan.map((p) => p.reason).join(' ')).toMatch(
      /a GitLab runner authentication token in the title; a GitLab personal, project or group access token, a private key, an AWS secret access key in the description; a GitLab deploy token in comment/,
    );
  });

  it('redacts a secret in the title too, and says so', () => {
    const list = actions(issue({ title: `Runner ${fake.glrt} fails`, description: 'Registration fails.' }));
    expect(list).toContainEqual({ type: 'setTitle', title: 'Runner [REDACTED] fails' });
    expect(list).toContainEqual({ type: 'setConfidential', confidential: true });
    expect(descriptionOf(list)).toBeUndefined();
    expect(noteOf(list)).toContain('- a GitLab runner authentication token in the title: I replaced it with `[REDACTED]`.');
    expect(noteOf(list)).toMatch(
      /GitLab keeps the old title in this issue's history \(the "changed title" note\), where every member of this project can still read it; GitLab's API cannot remove that note/,
    );
  });

  it("keeps a redacted title within GitLab's 255 characters", () => {
    const title = `${'x'.repeat(220)} https://deploy:pw12345@example.com/x`.slice(0, TITLE_MAX);
    const list = actions(issue({ title }));
    const set = list.find((a) => a.type === 'setTitle');
    expect(set?.type === 'setTitle' && set.title).toBe(title.replace('pw12345', '*******'));
  });

  it('replaces a private key block as a whole and keeps CRLF line endings', () => {
    const description = `Key below:\r\n\r\n${pemBlock('OPENSSH PRIVATE KEY', '\r\n')}\r\n\r\nThanks\r\n`;
    expect(descriptionOf(actions(issue({ description })))).toBe('Key below:\r\n\r\n[REDACTED]\r\n\r\nThanks\r\n');
  });

  it('acts on a token in a comment it may not edit (below Maintainer), and says which role it needs', () => {
    const comment = buildNote({ id: 77, body: `Try with \`${fake.glpat}\`` });
    const subject = issue({ description: 'Runner question', userNotesCount: 1 });
    for (const list of [actions(subject, { notes: [comment] }), actions(subject, { notes: [comment] }, noteTrigger(comment))]) {
      expect(list).toContainEqual({ type: 'setConfidential', confidential: true });
      expect(descriptionOf(list)).toBeUndefined();
      expect(list.some((a) => a.type === 'redactComment')).toBe(false);
      expect(noteOf(list)).toContain(`in [a comment](${subject.issue.webUrl}#note_77): please edit or delete that comment yourself.`);
      expect(noteOf(list)).toMatch(/cannot edit other people's comments: the bot needs the Maintainer role/);
    }
  });

  it('as Maintainer, redacts the comment byte for byte after posting the notice, and says so', () => {
    const comment = buildNote({ id: 77, body: `Try with \`${fake.glpat}\`\r\nthanks`, author: { id: 9, username: 'reporter' } });
    const subject = buildSubject(PUBLIC, { description: 'Runner question', userNotesCount: 1 }, { accessLevel: 40 });
    const list = actions(subject, { notes: [comment] });
    const types = list.map((a) => a.type);
    expect(types.indexOf('redactComment')).toBeGreaterThan(types.indexOf('upsertNote'));
    expect(list).toContainEqual({ type: 'redactComment', noteId: 77, body: 'Try with `[REDACTED]`\r\nthanks' });
    expect(noteOf(list)).toContain(`in [a comment](${subject.issue.webUrl}#note_77): I replaced it with \`[REDACTED]\`.`);
    expect(noteOf(list)).not.toMatch(/Maintainer/);
    // A Developer or an unknown role: no edit.
    for (const accessLevel of [30, undefined]) {
      expect(actions(buildSubject(PUBLIC, { userNotesCount: 1 }, { accessLevel }), { notes: [comment] }).some((a) => a.type === 'redactComment')).toBe(false);
    }
  });

  it("reads the webhook's note even before the API lists it", () => {
    const comment = buildNote({ id: 78, body: fake.glptt });
    expect(actions(issue({}), { notes: [] }, noteTrigger(comment))).toContainEqual({ type: 'setConfidential', confidential: true });
  });

  it("ignores the bot's own notes and system notes", () => {
    const own = buildNote({ author: { id: 2, username: 'support-bot' }, body: `${fake.glpat} security vulnerability` });
    const system = buildNote({ system: true, body: `changed the description ${fake.glpat}` });
    expect(actions(issue({ userNotesCount: 2 }), { notes: [own, system] })).toEqual([]);
  });

  it('does nothing in a project that is not public', () => {
    expect(actions(buildSubject(PRIVATE, { description: fake.glpat }))).toEqual([]);
    // ...unless GitLab says the project is public.
    expect(actions(buildSubject(PRIVATE, { description: fake.glpat }, { visibility: 'public' }))).not.toEqual([]);
  });

  it('leaves an issue it already protected alone', () => {
    const description = `token [REDACTED] and a comment with one`;
    const notes = [buildNote({ body: fake.glpat })];
    expect(actions(issue({ description, confidential: true, labels: [LABEL] }), { notes })).toEqual([]);
  });

  it('redacts and labels an issue someone else already made confidential', () => {
    const list = actions(issue({ description: fake.glpat, confidential: true }));
    expect(descriptionOf(list)).toBe('[REDACTED]');
    expect(list).toContainEqual({ type: 'addLabels', labels: [LABEL] });
  });

  it('does not treat its own replacement text as a secret', () => {
    const config = { ...defaultConfig, sensitiveData: { ...defaultConfig.sensitiveData, replacement: 'glpat-REMOVEDREMOVEDREMOVED' } };
    expect(actions(issue({ description: 'glpat-REMOVEDREMOVEDREMOVED' }), {}, SWEEP, config)).toEqual([]);
  });
});

describe('sensitive-data: vulnerability reports', () => {
  it.each([
    ['Stored XSS in the issue title', ''],
    ['Question', 'I found a security vulnerability in the runner'],
    ['Question', 'Possible remote code execution through a crafted import'],
    ['Question', 'This looks like CVE-2024-1234 all over again'],
    ['Question', 'An sql-injection in search'],
  ])('replies to %j / %j with the Responsible Disclosure Policy', (title, description) => {
    const list = actions(issue({ title, description, author: { id: 50, username: 'outsider' } }));
    expect(list).toContainEqual({ type: 'setConfidential', confidential: true });
    expect(list).toContainEqual({ type: 'addLabels', labels: [LABEL] });
    expect(descriptionOf(list)).toBeUndefined();
    const body = noteOf(list);
    expect(body).toMatch(/Thank you for helping to make GitLab more secure/);
    expect(body).toContain(`[Responsible Disclosure Policy](${defaultConfig.sensitiveData.disclosureUrl})`);
    expect(body).not.toMatch(/revoke/);
  });

  it('counts a report in a comment by someone outside the team', () => {
    const comment = buildNote({ author: { id: 51, username: 'researcher' }, body: 'Here is a working exploit' });
    expect(actions(issue({ userNotesCount: 1 }), { notes: [comment] })).toContainEqual({ type: 'setConfidential', confidential: true });
  });

  it("does not count the team's own words, a reviewed issue, or a confidential one", () => {
    const teamComment = buildNote({ author: { id: 52, username: 'sasha-support' }, body: 'This was CVE-2024-1234, fixed in 16.1' });
    expect(actions(issue({ userNotesCount: 1 }), { notes: [teamComment] })).toEqual([]);
    expect(actions(issue({ title: 'XSS', author: { id: 52, username: 'sasha-support' } }))).toEqual([]);
    expect(actions(issue({ title: 'XSS', labels: [defaultConfig.sensitiveData.reviewedLabel] }))).toEqual([]);
    expect(actions(issue({ title: 'XSS', confidential: true }))).toEqual([]);
  });

  it('still acts on a secret in a reviewed issue', () => {
    expect(actions(issue({ description: fake.glpat, labels: [defaultConfig.sensitiveData.reviewedLabel] }))).toContainEqual({ type: 'setConfidential', confidential: true });
  });

  it('uses the configured phrases, whole words only', () => {
    const config = { ...defaultConfig, sensitiveData: { ...defaultConfig.sensitiveData, vulnerabilityPhrases: ['zero day'] } };
    expect(actions(issue({ title: 'A zero-day in Pages' }), {}, SWEEP, config)).not.toEqual([]);
    expect(actions(issue({ title: 'XSS' }), {}, SWEEP, config)).toEqual([]);
    expect(actions(issue({ title: 'Exploitation of the new board' }))).toEqual([]);
  });

  it('says both things when a report also carries a secret', () => {
    const body = noteOf(actions(issue({ title: 'RCE via import', description: `PoC uses ${fake.glpat}` })));
    expect(body).toMatch(/Thank you for helping/);
    expect(body).toContain('**Revoke and rotate it now.** This issue was public with a secret in it. I found:');
    expect(body.match(/made the issue confidential|made it confidential/g)).toHaveLength(1);
  });
});

describe('sensitive-data: triggers and odd input', () => {
  it('on a sweep, asks for the notes only of issues with comments or with text that needs action', () => {
    const ctx = buildContext({ trigger: SWEEP });
    expect(sensitiveData.applies(issue({ description: 'Clean', userNotesCount: 0 }), ctx)).toBe(false);
    expect(sensitiveData.applies(issue({ description: 'Clean', userNotesCount: 3 }), ctx)).toBe(true);
    expect(sensitiveData.applies(issue({ description: fake.glpat, userNotesCount: 0 }), ctx)).toBe(true);
    expect(sensitiveData.applies(issue({ title: 'XSS in search', userNotesCount: 0 }), ctx)).toBe(true);
    // A webhook looks at what it changed: a clean new issue needs no notes read.
    expect(sensitiveData.applies(issue({ description: 'Clean', userNotesCount: 0 }), buildContext({ trigger: buildIssueTrigger('issue.open') }))).toBe(false);
    expect(sensitiveData.applies(issue({ description: fake.glpat }), buildContext({ trigger: buildIssueTrigger('issue.open') }))).toBe(true);
  });

  it('on a new comment scans that comment alone, not the description or the other comments', () => {
    const secretInDescription = issue({ description: fake.glpat, userNotesCount: 40 });
    expect(runs(sensitiveData, secretInDescription, buildContext({ trigger: commentTrigger('Thanks, that helped') }))).toBe(false);
    expect(runs(sensitiveData, issue({ description: 'Clean' }), buildContext({ trigger: commentTrigger(`here: ${fake.glpat}`) }))).toBe(true);
  });

  it('runs on close and reopen, so a secret on an issue closed while the bot was down is still caught', () => {
    const closed = issue({ description: fake.glpat, state: 'closed' });
    expect(actions(closed, {}, buildIssueTrigger('issue.close'))).toContainEqual({ type: 'setConfidential', confidential: true });
    expect(actions(closed, {}, buildIssueTrigger('issue.reopen'))).toContainEqual({ type: 'setConfidential', confidential: true });
    expect(sensitiveData.runsOn.states).toEqual(['opened', 'closed']);
  });

  it('re-protects an issue someone made public again, even when its description is clean now', () => {
    const comment = buildNote({ body: `my token ${fake.glpat}`, author: { id: 9, username: 'reporter' } });
    const reopened = issue({ description: 'Clean', labels: [LABEL], confidential: false });
    expect(actions(reopened, { notes: [comment] }, buildIssueTrigger('issue.update', ['confidential']))).toContainEqual({ type: 'setConfidential', confidential: true });
  });

  it('without the team list, counts everyone as outside the team (more protection, not less)', () => {
    const report = buildNote({ body: 'Found an XSS in search', author: { id: 9, username: 'sasha-support' } });
    const subject = issue({ description: 'Clean', userNotesCount: 1 });
    expect(actions(subject, { notes: [report] })).toEqual([]);
    expect(actions(subject, { notes: [report], teamMembers: undefined })).toContainEqual({ type: 'setConfidential', confidential: true });
  });

  it('re-checks updates of the title, description, confidentiality or labels, and every comment', () => {
    const subject = issue({ description: fake.glpat });
    expect(actions(subject, {}, buildIssueTrigger('issue.update', ['description']))).not.toEqual([]);
    expect(actions(subject, {}, buildIssueTrigger('issue.update', ['confidential']))).not.toEqual([]);
    expect(actions(subject, {}, buildIssueTrigger('issue.update', ['assignees']))).toEqual([]);
    expect(actions(subject, {}, buildIssueTrigger('issue.open'))).not.toEqual([]);
  });

  it.each([
    ['empty', ''],
    ['CRLF and odd Markdown', '##   Heading ##\r\n\r\n```\r\nunclosed fence\r\n<!-- unterminated'],
    ['huge', 'lorem ipsum dolor sit amet '.repeat(40_000)],
  ])('does not crash on %s text', (_name, description) => {
    expect(actions(issue({ description }))).toEqual([]);
  });

  it('finds a token at the end of a huge description and keeps the rest', () => {
    const description = `${'line of log output\n'.repeat(20_000)}${fake.glpat}`;
    expect(descriptionOf(actions(issue({ description })))).toBe(description.replace(fake.glpat, '[REDACTED]'));
  });
});

describe("redacting a description at GitLab's length limit (doc/api/issues.md: 1,048,576 characters)", () => {
  const secret = 'https://deploy:pw12345@example.com/x';
  it('uses the replacement while the result fits', () => {
    const text = `see ${secret}`;
    expect(redactWithinLimit(text, findSecrets(text), '[REDACTED]')).toBe('see https://deploy:[REDACTED]@example.com/x');
  });

  it('never lengthens a description past the limit: short secrets become as many *, which is no secret', () => {
    const text = `${secret}\n`.padEnd(DESCRIPTION_MAX, '.');
    const redacted = redactWithinLimit(text, findSecrets(text), '[REDACTED]');
    expect(redacted.length).toBe(DESCRIPTION_MAX);
    expect(redacted.startsWith('https://deploy:*******@example.com/x')).toBe(true);
    expect(findSecrets(redacted)).toEqual([]);
  });
});

describe('sensitive-data: the notice a killed run still owes (issue 21 case 1)', () => {
  const BOT = { id: 2, username: 'support-bot' };
  const system = (body: string, author = BOT) => buildNote({ system: true, body, author });
  // GitLab marks the changed part of a title {-…-} (SystemNotes::IssuablesService#change_title).
  const protectedIssue = issue({ title: 'Runner [REDACTED] fails', description: 'token [REDACTED]', confidential: true, labels: [LABEL], userNotesCount: 0 });
  const history = [
    system(`changed title from **Runner {-${fake.glrt}-} fails** to **Runner {+[REDACTED]+} fails**`),
    system('changed the description'),
    system('made the issue confidential'),
  ];

  it('is read even on a sweep of an issue without comments', () => {
    expect(sensitiveData.applies(protectedIssue, buildContext({ trigger: SWEEP }))).toBe(true);
  });

  it("posts the notice from GitLab's state alone: the title's kind from the change note, the description as redacted", () => {
    const plan = planned(protectedIssue, { notes: history, botUser: BOT });
    expect(plan.map((p) => p.action.type)).toEqual(['upsertNote']);
    const body = noteOf(plan.map((p) => p.action));
    expect(body).toContain('- a GitLab runner authentication token in the title: I replaced it with `[REDACTED]`.');
    expect(body).toContain('- what looks like a secret in the description: I replaced it with `[REDACTED]`.');
    expect(JSON.stringify(plan)).not.toContain(fake.glrt);
  });

  it('posts nothing once the notice is there, nor for an issue someone else protected', () => {
    const notice = buildNote({ author: BOT, body: '<!-- support-bot:sensitive-data -->\nRevoke' });
    expect(actions(protectedIssue, { notes: [...history, notice], botUser: BOT })).toEqual([]);
    const byHand = history.map((n) => ({ ...n, author: { id: 7, username: 'sasha-support' } }));
    expect(actions(protectedIssue, { notes: byHand, botUser: BOT })).toEqual([]);
  });

  // Usernames are case-insensitive (src/gitlab/usernames.ts): SUPPORT_BOT_USERNAME=Support-Bot
  // names the same user as the notes' `support-bot`, so its notice and its history are its own.
  it('recognises its own notice and system notes whatever case the bot username is written in', () => {
    const upper = { id: 2, username: 'Support-Bot' };
    const notice = buildNote({ author: BOT, body: '<!-- support-bot:sensitive-data -->\nRevoke' });
    expect(actions(protectedIssue, { notes: [...history, notice], botUser: upper })).toEqual([]);
    expect(planned(protectedIssue, { notes: history, botUser: upper }).map((p) => p.action.type)).toEqual(['upsertNote']);
    const comment = buildNote({ id: 32, body: 'the bot said so', author: BOT });
    const subject = buildSubject(PUBLIC, { ...protectedIssue.issue, userNotesCount: 1 }, { accessLevel: 40 });
    expect(actions(subject, { notes: [...history, notice, comment], botUser: upper })).toEqual([]);
  });

  it('finishes the comment edits a killed run left after its notice (as Maintainer)', () => {
    const notice = buildNote({ author: BOT, body: '<!-- support-bot:sensitive-data -->\nRevoke' });
    const comment = buildNote({ id: 31, body: `mine: ${fake.gldt}`, author: { id: 9, username: 'reporter' } });
    const subject = buildSubject(PUBLIC, { ...protectedIssue.issue, userNotesCount: 1 }, { accessLevel: 40 });
    expect(actions(subject, { notes: [...history, notice, comment], botUser: BOT })).toEqual([{ type: 'redactComment', noteId: 31, body: 'mine: [REDACTED]' }]);
  });

  it('says what the report was when the killed run protected a vulnerability report', () => {
    const report = buildSubject(PUBLIC, { title: 'Stored XSS in wiki', confidential: true, labels: [LABEL], author: { id: 50, username: 'outsider' } });
    const body = noteOf(actions(report, { notes: [system('made the issue confidential')], botUser: BOT }));
    expect(body).toMatch(/This reads like a vulnerability report/);
    expect(body).not.toMatch(/Revoke/);
  });
});
