import { describe, expect, it } from 'vitest';
import { findSecrets, secretNames } from '../../src/secrets/detectors.js';
import { findingsInHistory, findingsRecord, mergeFindings, recordedFindings, type Finding } from '../../src/secrets/findings.js';
import { buildNote } from '../helpers/builders.js';
import { fake, tokenBody } from './fakeSecrets.js';

const BOT = { id: 2, username: 'support-bot' };
const names = (text: string) => secretNames(text, findSecrets(text));

describe('secretNames: what a notice may say about a secret', () => {
  it.each([
    [fake.glpat, 'a GitLab personal, project or group access token'],
    [fake.gldt, 'a GitLab deploy token'],
    [fake.glrt, 'a GitLab runner authentication token'],
    [fake.runnerRegistration, 'a GitLab runner registration token'],
    [fake.glptt, 'a GitLab pipeline trigger token'],
    [fake.glft, 'a GitLab feed token'],
    [fake.gloas, 'a GitLab OAuth application secret'],
    [`glcbt-${tokenBody(24)}`, 'a GitLab CI/CD job token'],
    [`access_token=${fake.glpat}`, 'a GitLab personal, project or group access token'],
    // Disguised: a soft hyphen inside the prefix still names the token.
    [`gl&shy;pat-${tokenBody(20)}`, 'a GitLab personal, project or group access token'],
    [`https://gitlab.com/api/v4/projects?private_token=${tokenBody(20)}`, 'a GitLab token'],
    [fake.awsKeyId, 'an AWS access key ID'],
  ])('%s → %s', (text, name) => {
    expect(names(text)[0]).toBe(name);
    expect(names(text).join(' ')).not.toContain(text.slice(-10));
  });

  it('names each kind once, in a stable order', () => {
    expect(names(`${fake.gldt} ${fake.glpat} ${fake.gldt} ${fake.awsKeyId}`)).toEqual([
      'a GitLab deploy token',
      'a GitLab personal, project or group access token',
      'an AWS access key ID',
    ]);
  });
});

describe("findingsInHistory: the bot's own redactions, read back from GitLab's system notes", () => {
  const current = { title: 'Runner [REDACTED] fails', description: 'token [REDACTED]' };
  it.each([
    ['GitLab (inline diff marks)', `changed title from **Runner {-${fake.glrt}-} fails** to **Runner {+[REDACTED]+} fails**`],
    ['plain', `changed title from **Runner ${fake.glrt} fails** to **Runner [REDACTED] fails**`],
  ])('names the title from its change note (%s)', (_format, body) => {
    const found = findingsInHistory(
      [buildNote({ system: true, author: BOT, body }), buildNote({ system: true, author: BOT, body: 'changed the description' })],
      'support-bot',
      '[REDACTED]',
      current,
    );
    expect(found).toEqual([
      { where: 'title', names: ['a GitLab runner authentication token'] },
      { where: 'description', names: [] },
    ]);
  });

  it("ignores others' changes, and text that no longer holds the replacement", () => {
    const other = buildNote({ system: true, author: { id: 5, username: 'sam' }, body: `changed title from **${fake.glrt}** to **[REDACTED]**` });
    expect(
      findingsInHistory([other, buildNote({ system: true, author: { id: 5, username: 'sam' }, body: 'changed the description' })], 'support-bot', '[REDACTED]', current),
    ).toEqual([]);
    const own = buildNote({ system: true, author: BOT, body: `changed title from **${fake.glrt}** to **[REDACTED]**` });
    expect(findingsInHistory([own], 'support-bot', '[REDACTED]', { title: 'Edited since', description: '' })).toEqual([]);
  });
});

describe("the notice's record of its findings", () => {
  const findings: Finding[] = [
    { where: 'title', names: ['a GitLab deploy token'] },
    { where: 'comment', noteId: 12, names: ['a private key'] },
  ];
  it('round-trips through the hidden line, and reads nothing from a broken or missing one', () => {
    expect(recordedFindings(`text\n${findingsRecord(findings)}\n`)).toEqual(findings);
    for (const body of [
      undefined,
      'no record',
      '<!-- sensitive-data-found [["title",0,[1]]] -->',
      '<!-- sensitive-data-found [oops] -->',
      '<!-- sensitive-data-found [["elsewhere",0,[]]] -->',
    ])
      expect(recordedFindings(body)).toEqual([]);
  });

  it('merges places, keeping every name once, in reading order', () => {
    expect(mergeFindings([{ where: 'comment', noteId: 12, names: ['a private key', 'an npm token'] }], findings, [{ where: 'description', names: [] }])).toEqual([
      { where: 'title', names: ['a GitLab deploy token'] },
      { where: 'description', names: [] },
      { where: 'comment', noteId: 12, names: ['a private key', 'an npm token'] },
    ]);
  });
});
