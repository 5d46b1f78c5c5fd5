import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/events/parse.js';
import type { BotEvent } from '../../src/events/types.js';
import { DOC_FIXTURES, docFixture } from './gitlabDocsFixtures.js';

// Every field of every documented payload the bot handles, taken away: left out, set to null,
// and (a list) emptied. GitLab's hook builders leave some keys out when unset and write others
// as nil, and that has changed between versions (`object_attributes.action` came in 8.x; `oldrev`
// is only on pushes; `description`, `last_commit`, `closed_at` are nil), so what the bot can do
// without must read alike either way. What stays required is what names the event, its subject
// and its actor — GitLab's models hold those NOT NULL and every hook builder writes them.

/** Paths GitLab always sends and the bot cannot do without (`*` is any list index). */
const REQUIRED = [
  'object_kind',
  'user',
  'user.id',
  'user.username',
  'project',
  'project.id',
  'project.path_with_namespace',
  'object_attributes',
  'object_attributes.id',
  'object_attributes.iid',
  'object_attributes.title',
  'object_attributes.state',
  'object_attributes.note',
  'object_attributes.noteable_type',
  'object_attributes.last_commit.id',
  'issue',
  'issue.id',
  'issue.iid',
  'merge_request',
  'merge_request.id',
  'merge_request.iid',
  'labels.*.title',
  'changes.labels.previous.*.title',
  'changes.labels.current.*.title',
];

/** Issue hooks also list the labels under object_attributes, which the bot reads. */
const REQUIRED_ON_ISSUES = ['object_attributes.labels.*.title'];

type Json = Record<string, any>;
type Removal = 'left out' | 'null' | 'emptied';

function allPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...allPaths(child, [...prefix, key])]);
}

const pattern = (path: string[]) => path.map((k) => (/^\d+$/.test(k) ? '*' : k)).join('.');

/** The body with the field at `path` removed in the given way; undefined when that removal does not apply. */
function without(body: Json, path: string[], removal: Removal): Json | undefined {
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], body);
  const key = path.at(-1)!;
  if (Array.isArray(parent)) {
    // GitLab never puts null in a list; an element left out is a shorter list.
    if (removal !== 'left out') return undefined;
    parent.splice(Number(key), 1);
  } else if (removal === 'left out') delete parent[key];
  else if (removal === 'null') parent[key] = null;
  else if (Array.isArray(parent[key]) && parent[key].length > 0) parent[key] = [];
  else return undefined;
  return body;
}

function eventOf(body: unknown, header: string): BotEvent {
  const result = parseEvent(body, header);
  if (result.status !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

const HANDLED = DOC_FIXTURES.filter((f) => f.expect !== 'ignored');

const cases = HANDLED.flatMap(({ file, header }) =>
  allPaths(docFixture(file)).flatMap((path) =>
    (['left out', 'null', 'emptied'] as const).flatMap((removal) => {
      const body = without(docFixture(file), path, removal);
      return body === undefined
        ? []
        : [{ file, header, path: path.join('.'), required: REQUIRED.includes(pattern(path)) || (file === 'issue' && REQUIRED_ON_ISSUES.includes(pattern(path))), removal, body }];
    }),
  ),
);

describe('documented payloads with a field taken away', () => {
  it('covers every field of every handled documented example (a corpus, not a sample)', () => {
    expect(HANDLED.map((f) => f.file).sort()).toEqual(['issue', 'merge_request', 'note.issue', 'note.merge_request', 'system.merge_request']);
    expect(cases.filter((c) => !c.required).length).toBeGreaterThan(700);
  });

  it.each(cases.filter((c) => !c.required))('$file without $path ($removal) is the same event', ({ file, header, path, body }) => {
    const documented = eventOf(docFixture(file), header);
    const event = eventOf(body, header);
    // Without an action, GitLab's older issue and merge request payloads are updates (the bot reads `update`).
    const key = path === 'object_attributes.action' && documented.kind !== 'note' ? `${documented.kind}.update` : documented.key;
    expect({ key: event.key, iid: event.iid, projectId: event.projectId, actor: event.actor.id }).toEqual({
      key,
      iid: documented.iid,
      projectId: documented.projectId,
      actor: documented.actor.id,
    });
    if ('changed' in event && 'changed' in documented) {
      // A change GitLab did not report is not invented, and `changes: null` is no change.
      for (const field of event.changed) expect(documented.changed).toContain(field);
    }
  });

  it.each(cases.filter((c) => c.required && c.removal !== 'emptied'))('$file without $path ($removal) is invalid, named by its path', ({ header, path, body }) => {
    const result = parseEvent(body, header);
    expect(result.status).toBe('invalid');
    if (result.status === 'invalid') expect(result.error.split(':')[0]).toBe(path);
  });

  it('reads a label change whose previous or current side is null or empty as no labels on that side', () => {
    for (const side of [null, []]) {
      const body = docFixture('issue');
      body.changes.labels.previous = side;
      const event = eventOf(body, 'Issue Hook');
      expect(event.kind === 'issue' && event.labelChange).toEqual({ previous: [], current: ['Platform'] });
    }
  });

  it('reads changes: null, and changes without labels, as no label change', () => {
    const nulled = docFixture('merge_request');
    nulled.changes = null;
    expect(eventOf(nulled, 'Merge Request Hook')).toMatchObject({ changed: [] });
    const noLabels = docFixture('issue');
    delete noLabels.changes.labels;
    const event = eventOf(noLabels, 'Issue Hook');
    expect(event.kind === 'issue' && event.labelChange).toBeUndefined();
    expect(event.kind === 'issue' && event.changed).not.toContain('labels');
  });
});
