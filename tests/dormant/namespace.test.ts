import { describe, expect, it } from 'vitest';
import { monthsBefore } from '../../src/dormant/assess.js';
import { profileHosts, requestedNamespace } from '../../src/dormant/namespace.js';
import { dormantNamespaceFact } from '../../src/facts/dormantNamespace.js';
import { buildSubject, defaultConfig } from '../helpers/builders.js';
import { nameSquattingRequest } from './helpers.js';

const hosts = profileHosts('https://gitlab.com', ['gitlab.example.org']);

describe('requestedNamespace', () => {
  it.each([
    { name: 'a username', body: 'coolname', expected: { status: 'found', namespace: 'coolname' } },
    { name: 'an @mention', body: '@cool.name_2', expected: { status: 'found', namespace: 'cool.name_2' } },
    { name: 'a profile URL', body: 'https://gitlab.com/coolname', expected: { status: 'found', namespace: 'coolname' } },
    { name: 'a profile URL with a trailing slash, in angle brackets', body: '<https://gitlab.com/coolname/>', expected: { status: 'found', namespace: 'coolname' } },
    { name: 'a Markdown link', body: '[the account](https://gitlab.com/CoolName)', expected: { status: 'found', namespace: 'CoolName' } },
    { name: 'a URL on an extra configured host', body: 'https://gitlab.example.org/coolname', expected: { status: 'found', namespace: 'coolname' } },
    { name: 'a list item with an @mention and a comment', body: '- @coolname (unused since 2019)', expected: { status: 'found', namespace: 'coolname' } },
    { name: 'a sentence around the URL', body: 'Please release https://gitlab.com/coolname, unused since 2019', expected: { status: 'found', namespace: 'coolname' } },
    { name: 'a sentence with no @ or URL', body: 'Please release coolname', expected: { status: 'unreadable' } },
    { name: 'a username in backticks', body: '`coolname`', expected: { status: 'found', namespace: 'coolname' } },
    { name: 'a URL on another host', body: 'https://github.com/coolname', expected: { status: 'unreadable' } },
    { name: 'a project URL, not a profile', body: 'https://gitlab.com/coolname/project', expected: { status: 'unreadable' } },
    { name: 'not a username', body: 'cool name?!', expected: { status: 'unreadable' } },
    { name: 'only the template example', body: '', expected: { status: 'missing' } },
  ])('$name', ({ body, expected }) => {
    expect(requestedNamespace(nameSquattingRequest(body), 'Requested namespace', hosts)).toMatchObject(expected);
  });

  it('no such section', () => {
    expect(requestedNamespace('## Requester\n\nsam\n', 'Requested namespace', hosts)).toEqual({ status: 'missing' });
  });

  it('the fact is keyed by the namespace without case, so a run reads one user once whatever the spelling', () => {
    const param = (text: string) =>
      dormantNamespaceFact.param(buildSubject('internal-requests', { description: nameSquattingRequest(text) }), defaultConfig, 'https://gitlab.com', new Date());
    expect(dormantNamespaceFact.key(param('https://gitlab.com/CoolName'))).toBe(dormantNamespaceFact.key(param('@coolname')));
    expect(param('https://github.com/coolname').namespace).toBeNull();
  });

  it('reads a profile URL on the instance the bot talks to (GITLAB_URL, $CI_SERVER_URL in CI) as well as on gitlab.url', () => {
    const param = (text: string, instanceUrl: string) =>
      dormantNamespaceFact.param(buildSubject('internal-requests', { description: nameSquattingRequest(text) }), defaultConfig, instanceUrl, new Date());
    expect(param('https://gitlab.example.com/coolname', 'https://gitlab.example.com').namespace).toBe('coolname');
    expect(param('http://127.0.0.1:3917/coolname', 'http://127.0.0.1:3917').namespace).toBe('coolname');
    expect(param('https://gitlab.com/coolname', 'https://gitlab.example.com').namespace).toBe('coolname');
    expect(param('https://gitlab.example.com/coolname', 'https://gitlab.com').namespace).toBeNull();
  });

  it('keeps what an unreadable section says, keyed apart from other requests, so the report can say it', () => {
    const param = (text: string) =>
      dormantNamespaceFact.param(buildSubject('internal-requests', { description: nameSquattingRequest(text) }), defaultConfig, 'https://gitlab.com', new Date());
    expect(param('https://github.com/coolname')).toMatchObject({
      namespace: null,
      unreadable: { text: 'https://github.com/coolname', why: expect.stringContaining('a URL on github.com') },
    });
    expect(param('').unreadable).toBeUndefined();
    expect(dormantNamespaceFact.key(param('https://github.com/a'))).not.toBe(dormantNamespaceFact.key(param('https://github.com/b')));
    expect(dormantNamespaceFact.key(param('https://github.com/a'))).not.toBe(dormantNamespaceFact.key(param('')));
  });
});

describe('monthsBefore', () => {
  it.each([
    { now: '2026-11-18T12:00:00Z', months: 6, expected: '2026-05-18' },
    { now: '2026-08-31T00:00:00Z', months: 6, expected: '2026-02-28' },
    { now: '2026-03-01T00:00:00Z', months: 6, expected: '2025-09-01' },
  ])('$months months before $now is $expected', ({ now, months, expected }) => {
    expect(monthsBefore(new Date(now), months)).toBe(expected);
  });
});
