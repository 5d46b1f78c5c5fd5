import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hookHeaderFor, parseEvent, type ParseResult } from '../../src/events/parse.js';
import type { BotEvent } from '../../src/events/types.js';
import { DOC_FIXTURES, docFixture } from './gitlabDocsFixtures.js';

// GitLab's documented webhook payloads (doc/user/project/integrations/webhook_events.md,
// doc/administration/system_hooks.md; see gitlabDocsFixtures.ts for the section of each)
// through parseEvent, as the server calls it (with X-Gitlab-Event) and as a pipeline
// trigger does (body only). Variants apply values the same docs list to those payloads.

function outcome(result: ParseResult): string {
  if (result.status === 'event') return result.event.key;
  return result.status;
}

function eventOf(result: ParseResult): BotEvent {
  if (result.status !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('every documented example payload', () => {
  it('is listed in the index with its doc section', () => {
    const files = readdirSync('tests/fixtures/webhooks/gitlab-docs')
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''));
    expect(DOC_FIXTURES.map((f) => f.file).sort()).toEqual(files.sort());
  });

  it.each(DOC_FIXTURES)('$file ($header, $section) is $expect', ({ file, header, expect: expected }) => {
    expect(outcome(parseEvent(docFixture(file), header))).toBe(expected);
    // A pipeline trigger has the body only.
    expect(outcome(parseEvent(docFixture(file)))).toBe(expected);
  });
});

describe('Issue Hook (webhook_events.md, "Work item events")', () => {
  it('reads the documented example: ids, actor, labels as objects, changes.labels previous/current', () => {
    const event = eventOf(parseEvent(docFixture('issue'), 'Issue Hook'));
    if (event.kind !== 'issue') throw new Error('expected an issue event');
    expect(event).toMatchObject({ key: 'issue.open', iid: 23, projectId: 1, projectPath: 'gitlabhq/gitlab-test', actor: { id: 1, username: 'root' } });
    expect(event.labelChange).toEqual({ previous: ['API'], current: ['Platform'] });
    expect(event.changed).toEqual(expect.arrayContaining(['labels', 'updated_at', 'updated_by_id']));
    expect(event.payload.object_attributes.created_at?.toISOString()).toBe('2013-12-03T17:15:43.000Z');
    expect(event.payload.labels?.map((l) => l.title)).toEqual(['API']);
  });

  it.each(['open', 'close', 'reopen', 'update'])('types the documented action %s', (action) => {
    const body = docFixture('issue');
    body.object_attributes.action = action;
    expect(outcome(parseEvent(body, 'Issue Hook'))).toBe(`issue.${action}`);
  });

  // "For all other work items, the `object_kind` field is `work_item`, and the `type` is the work item type."
  /** The documented Issue Hook, as GitLab sends a work item of this type. */
  const workItem = (type: string, eventType = 'work_item') => {
    const body = docFixture('issue');
    body.object_kind = 'work_item';
    body.event_type = eventType;
    body.object_attributes.type = type;
    return body;
  };

  it.each(['Task', 'Incident', 'Test Case', 'Requirement', 'Objective', 'Key Result'])('types a %s (object_kind work_item) as an issue event', (type) => {
    const body = workItem(type);
    body.object_attributes.action = 'update';
    const event = eventOf(parseEvent(body, 'Issue Hook'));
    expect(event).toMatchObject({ key: 'issue.update', kind: 'issue', iid: 23, projectId: 1 });
    expect(outcome(parseEvent(body))).toBe('issue.update');
    expect(hookHeaderFor(body)).toBe('Issue Hook');
  });

  it('types a confidential work item (event_type confidential_work_item) under Confidential Issue Hook', () => {
    const body = workItem('Task', 'confidential_work_item');
    body.object_attributes.confidential = true;
    expect(outcome(parseEvent(body, 'Confidential Issue Hook'))).toBe('issue.open');
    expect(hookHeaderFor(body)).toBe('Confidential Issue Hook');
  });

  it('ignores a work item outside any project (a group epic), whatever its project field', () => {
    const body = workItem('Epic');
    body.project = null;
    expect(parseEvent(body, 'Issue Hook')).toMatchObject({ status: 'ignored' });
    delete body.project;
    expect(parseEvent(body, 'Issue Hook')).toMatchObject({ status: 'ignored' });
    expect(parseEvent(body)).toMatchObject({ status: 'ignored' });
  });

  it('types a Confidential Issue Hook (event_type confidential_issue)', () => {
    const body = docFixture('issue');
    body.event_type = 'confidential_issue';
    body.object_attributes.confidential = true;
    expect(outcome(parseEvent(body, 'Confidential Issue Hook'))).toBe('issue.open');
    expect(hookHeaderFor(body)).toBe('Confidential Issue Hook');
  });

  it('reads the changes an update reports: title, description, confidential, state_id, assignees, updated_at, labels', () => {
    const body = docFixture('issue');
    const label = body.labels[0];
    body.object_attributes.action = 'update';
    body.changes = {
      title: { previous: 'Old title', current: 'New API: create/update/delete file' },
      description: { previous: null, current: 'Create new API for manipulations with repository' },
      confidential: { previous: false, current: true },
      state_id: { previous: 2, current: 1 },
      closed_at: { previous: '2026-11-16 09:00:00 UTC', current: null },
      assignees: { previous: [], current: [{ id: 51, name: 'User1', username: 'user1', avatar_url: null, email: '[REDACTED]' }] },
      updated_at: { previous: '2026-11-16 09:00:00 UTC', current: '2026-11-16 09:30:00 UTC' },
      updated_by_id: { previous: null, current: 1 },
      labels: { previous: [], current: [label] },
    };
    const event = eventOf(parseEvent(body, 'Issue Hook'));
    if (event.kind !== 'issue') throw new Error('expected an issue event');
    expect(event.changed).toEqual(expect.arrayContaining(['title', 'description', 'confidential', 'state_id', 'closed_at', 'assignees', 'updated_at', 'labels']));
    expect(event.labelChange).toEqual({ previous: [], current: ['API'] });
  });

  it('reads null where the docs show null, and an update without changes', () => {
    const body = docFixture('issue');
    body.object_attributes.description = null;
    body.object_attributes.action = 'update';
    body.changes = {};
    const event = eventOf(parseEvent(body, 'Issue Hook'));
    expect(event).toMatchObject({ key: 'issue.update', changed: [] });
  });

  // The docs print "2013-12-03T17:15:43Z", "2015-05-17 18:08:09 UTC", "2019-06-05T14:32:20.211Z",
  // "2012-01-03T23:36:29+02:00" and "2021-04-28 21:50:00 +0200".
  it.each([
    ['2026-11-16 09:00:00 UTC', '2026-11-16T09:00:00.000Z'],
    ['2026-11-16T09:00:00Z', '2026-11-16T09:00:00.000Z'],
    ['2026-11-16T09:00:00.000Z', '2026-11-16T09:00:00.000Z'],
    ['2026-11-16T11:00:00+02:00', '2026-11-16T09:00:00.000Z'],
    ['2026-11-16 11:00:00 +0200', '2026-11-16T09:00:00.000Z'],
  ])('reads the timestamp %s', (text, iso) => {
    const body = docFixture('issue');
    body.object_attributes.created_at = text;
    body.object_attributes.updated_at = text;
    const event = eventOf(parseEvent(body, 'Issue Hook'));
    if (event.kind !== 'issue') throw new Error('expected an issue event');
    expect(event.payload.object_attributes.created_at?.toISOString()).toBe(iso);
    expect(event.payload.object_attributes.updated_at?.toISOString()).toBe(iso);
  });
});

describe('Note Hook (webhook_events.md, "Comment events")', () => {
  it('reads a comment on an issue: the issue iid, not the note or issue id', () => {
    const event = eventOf(parseEvent(docFixture('note.issue'), 'Note Hook'));
    expect(event).toMatchObject({ key: 'note.issue', iid: 17, projectId: 5, noteId: 1241, noteBody: 'Hello world' });
  });

  it('reads a comment on a merge request (its last_commit timestamp, printed "2015-04-08T21: 00:25-07:00", is not read)', () => {
    const event = eventOf(parseEvent(docFixture('note.merge_request'), 'Note Hook'));
    expect(event).toMatchObject({ key: 'note.merge_request', iid: 1, noteId: 1244, noteBody: 'This MR needs work.' });
  });

  it.each(['create', 'update'])('types the documented action %s', (action) => {
    const body = docFixture('note.issue');
    body.object_attributes.action = action;
    expect(outcome(parseEvent(body, 'Note Hook'))).toBe('note.issue');
  });

  it('types a Confidential Note Hook (event_type confidential_note)', () => {
    const body = docFixture('note.issue');
    body.event_type = 'confidential_note';
    expect(outcome(parseEvent(body, 'Confidential Note Hook'))).toBe('note.issue');
    expect(hookHeaderFor(body)).toBe('Confidential Note Hook');
  });

  it('ignores comments on what has no project (personal snippets, group epics)', () => {
    const snippet = docFixture('note.snippet');
    snippet.project = null;
    expect(parseEvent(snippet, 'Note Hook')).toMatchObject({ status: 'ignored' });
    const epic = docFixture('note.issue');
    epic.object_attributes.noteable_type = 'Epic';
    delete epic.issue;
    epic.project = null;
    expect(parseEvent(epic, 'Note Hook')).toMatchObject({ status: 'ignored' });
  });
});

describe('Merge Request Hook (webhook_events.md, "Merge request events")', () => {
  it('reads the documented example: last commit, changes (draft, labels, last_edited_at…)', () => {
    const event = eventOf(parseEvent(docFixture('merge_request'), 'Merge Request Hook'));
    if (event.kind !== 'merge_request') throw new Error('expected a merge request event');
    expect(event).toMatchObject({ key: 'merge_request.open', iid: 1, projectId: 1, sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7' });
    expect(event.changed).toEqual(expect.arrayContaining(['draft', 'labels', 'last_edited_at']));
  });

  it.each(['open', 'close', 'reopen', 'update', 'approved', 'unapproved', 'approval', 'unapproval', 'merge'])('types the documented action %s', (action) => {
    const body = docFixture('merge_request');
    body.object_attributes.action = action;
    expect(outcome(parseEvent(body, 'Merge Request Hook'))).toBe(`merge_request.${action}`);
  });

  it('reports new commits when oldrev is present, and accepts an empty changes', () => {
    const body = docFixture('merge_request');
    body.object_attributes.action = 'update';
    body.object_attributes.oldrev = '95790bf891e76fee5e1747ab589903a6a1f80f22';
    body.changes = {};
    expect(eventOf(parseEvent(body, 'Merge Request Hook'))).toMatchObject({ changed: ['commits'] });
  });

  it('reads a merge request without commits (last_commit null: GitLab builds it from diff_head_commit&.hook_attrs)', () => {
    const body = docFixture('merge_request');
    body.object_attributes.last_commit = null;
    expect(eventOf(parseEvent(body, 'Merge Request Hook'))).toMatchObject({ key: 'merge_request.open', sha: undefined });
  });

  it('types a merge request event a system hook delivers (system_hooks.md, "Merge request events")', () => {
    const event = eventOf(parseEvent(docFixture('system.merge_request'), 'System Hook'));
    expect(event).toMatchObject({ key: 'merge_request.open', kind: 'merge_request', iid: 1, projectId: 1 });
  });
});

describe('deliveries without object_kind', () => {
  it('ignores the event_name payloads of group and system hooks, with or without the header', () => {
    for (const file of ['member.add', 'project.create', 'subgroup.create', 'system.project_create', 'system.push', 'system.repository_update']) {
      expect(parseEvent(docFixture(file))).toMatchObject({ status: 'ignored', reason: expect.stringContaining(docFixture(file).event_name) });
    }
  });

  it('still calls a body that is no GitLab event invalid, and an Issue Hook without object_kind', () => {
    expect(parseEvent({})).toEqual({ status: 'invalid', error: 'object_kind: expected a string' });
    expect(parseEvent({ event_name: 42 })).toMatchObject({ status: 'invalid' });
    expect(parseEvent({ event_name: 'project_create' }, 'Issue Hook')).toEqual({ status: 'invalid', error: 'object_kind: expected a string' });
  });

  it('takes no header name for a property of the header table', () => {
    for (const header of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(parseEvent(docFixture('issue'), header)).toEqual({ status: 'ignored', reason: `event "${header}" is not handled` });
    }
  });
});
