import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/events/parse.js';
import { parseGitLabTime } from '../../src/events/time.js';
import { webhookFixture } from '../helpers/fixtures.js';

describe('parseGitLabTime', () => {
  it.each([
    ['2026-11-16 09:00:00 UTC', '2026-11-16T09:00:00.000Z'],
    ['2026-11-16T09:00:00Z', '2026-11-16T09:00:00.000Z'],
    ['2026-11-16T10:00:00.000+01:00', '2026-11-16T09:00:00.000Z'],
    ['2026-11-16 10:00:00 +0100', '2026-11-16T09:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseGitLabTime(text)?.toISOString()).toBe(iso);
  });

  it('rejects text that is not a timestamp', () => {
    expect(parseGitLabTime('yesterday')).toBeNull();
  });
});

describe('parseEvent', () => {
  it('reads an Emoji Hook on a merge request itself, and ignores one on a comment or an issue', () => {
    const documented = webhookFixture('gitlab-docs/emoji') as Record<string, unknown> & { object_attributes: Record<string, unknown> };
    const { note: _note, issue: _issue, ...rest } = documented;
    const onMergeRequest = {
      ...rest,
      object_attributes: {
        ...documented.object_attributes,
        awardable_type: 'MergeRequest',
        awardable_id: 99,
        awarded_on_url: 'http://example.com/flightjs/Flight/-/merge_requests/7',
      },
      merge_request: { id: 99, iid: 7, title: 'Update the page', state: 'opened' },
    };
    const result = parseEvent(onMergeRequest, 'Emoji Hook');
    if (result.status !== 'event' || result.event.kind !== 'emoji') throw new Error(`expected an emoji event, got ${JSON.stringify(result)}`);
    expect(result.event).toMatchObject({ key: 'emoji.merge_request', iid: 7, projectPath: 'flightjs/Flight', emoji: 'thumbsup', action: 'award', actor: { username: 'root' } });
    // From the body alone, as in a pipeline trigger.
    expect(parseEvent(onMergeRequest)).toMatchObject({ status: 'event', event: { key: 'emoji.merge_request' } });
    expect(parseEvent(documented, 'Emoji Hook')).toEqual({ status: 'ignored', reason: 'emoji reactions on Note are not handled' });
    const onIssue = { ...rest, object_attributes: { ...documented.object_attributes, awardable_type: 'Issue' } };
    expect(parseEvent(onIssue, 'Emoji Hook').status).toBe('ignored');
  });

  it('types an Issue Hook open delivery with labels as objects and GitLab timestamps', () => {
    const result = parseEvent(webhookFixture('issue.open'), 'Issue Hook');
    expect(result.status).toBe('event');
    if (result.status !== 'event' || result.event.kind !== 'issue') throw new Error('expected an issue event');
    expect(result.event.key).toBe('issue.open');
    expect(result.event.iid).toBe(1);
    expect(result.event.projectPath).toBe('gitlab-com/support/internal-requests');
    expect(result.event.actor.username).toBe('alice');
    expect(result.event.payload.object_attributes.created_at?.toISOString()).toBe('2026-11-16T09:00:00.000Z');
  });

  it('lists the changed fields of an update', () => {
    const result = parseEvent(webhookFixture('issue.update'), 'Issue Hook');
    if (result.status !== 'event' || result.event.kind !== 'issue') throw new Error('expected an issue event');
    expect(result.event.key).toBe('issue.update');
    expect(result.event.changed).toEqual(expect.arrayContaining(['description', 'labels', 'updated_at']));
  });

  it('works from the body alone, as in a pipeline trigger', () => {
    const result = parseEvent(webhookFixture('note.issue'));
    if (result.status !== 'event' || result.event.kind !== 'note') throw new Error('expected a note event');
    expect(result.event.key).toBe('note.issue');
    expect(result.event.iid).toBe(1);
    expect(result.event.noteBody).toBe('Thanks, looking into it.');
  });

  it('types merge request events by action', () => {
    const result = parseEvent(webhookFixture('merge_request.open'), 'Merge Request Hook');
    if (result.status !== 'event' || result.event.kind !== 'merge_request') throw new Error('expected a merge request event');
    expect(result.event.key).toBe('merge_request.open');
    expect(result.event.sha).toBe('da1560886d4f094c3e6c9ef40349f7d38b5d27d7');
  });

  it('names the field that fails its schema', () => {
    const payload = webhookFixture('issue.open');
    payload.object_attributes.iid = 'one';
    const result = parseEvent(payload, 'Issue Hook');
    expect(result).toEqual({ status: 'invalid', error: expect.stringContaining('object_attributes.iid') });
  });

  it('rejects a bad timestamp by its path', () => {
    const payload = webhookFixture('issue.open');
    payload.object_attributes.updated_at = 'last tuesday';
    const result = parseEvent(payload, 'Issue Hook');
    expect(result).toEqual({ status: 'invalid', error: expect.stringContaining('object_attributes.updated_at') });
  });

  it('rejects a body whose object_kind contradicts X-Gitlab-Event', () => {
    expect(parseEvent(webhookFixture('issue.open'), 'Note Hook').status).toBe('invalid');
  });

  it('ignores events the bot does not handle', () => {
    expect(parseEvent({ object_kind: 'push' }, 'Push Hook')).toEqual({ status: 'ignored', reason: 'event "Push Hook" is not handled' });
    expect(parseEvent({ object_kind: 'pipeline' })).toMatchObject({ status: 'ignored' });
  });

  it('rejects non-objects', () => {
    expect(parseEvent([1, 2])).toMatchObject({ status: 'invalid' });
    expect(parseEvent(null)).toMatchObject({ status: 'invalid' });
    expect(parseEvent({})).toEqual({ status: 'invalid', error: 'object_kind: expected a string' });
  });
});
