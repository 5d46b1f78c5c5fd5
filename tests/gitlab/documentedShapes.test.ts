import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GitLabResponseError } from '../../src/gitlab/errors.js';
import { RestGateway } from '../../src/gitlab/gateway.js';
import {
  toApprovals,
  toAwardEmoji,
  toChangedPaths,
  toCommitStatus,
  toIssue,
  toLabelEvent,
  toLabelName,
  toMergeRequest,
  toNamespace,
  toNamespaceExists,
  toNote,
  toOwnedProject,
  toPipelineSchedule,
  toProject,
  toUser,
  toUserDetails,
  toUserEvent,
} from '../../src/gitlab/mapping.js';

// Every response the bot reads, as GitLab's API documentation shows it (the example
// responses of doc/api/*.md, copied into tests/fixtures/gitlab-api/, see its README),
// fed through the bot's mapping. The embedded sandbox answers with the bot's own idea
// of these shapes; these examples are GitLab's.

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/gitlab-api/${name}.json`, import.meta.url), 'utf8')) as unknown;
const list = (name: string): unknown[] => fixture(name) as unknown[];

describe('issues (doc/api/issues.md)', () => {
  it('"List project issues": a closed issue with assignees and labels', () => {
    const [issue] = list('issues-list-project').map(toIssue);
    expect(issue).toMatchObject({
      id: 41,
      iid: 1,
      projectId: 4,
      state: 'closed',
      labels: ['foo', 'bar'],
      confidential: false,
      author: { id: 1, username: 'root', name: 'Administrator' },
      assignees: [{ id: 9, username: 'lennie' }],
      userNotesCount: 1,
      webUrl: 'http://gitlab.example.com/my-group/my-project/issues/1',
    });
    expect(issue!.closedAt).toEqual(new Date('2016-01-05T15:31:46.176Z'));
  });

  it('"Create an issue": description null, no assignees, not closed', () => {
    expect(toIssue(fixture('issues-create'))).toMatchObject({ id: 84, iid: 14, description: '', assignees: [], labels: ['bug'], closedAt: null, state: 'opened' });
  });

  it('"Update an issue": closed with state_event=close', () => {
    expect(toIssue(fixture('issues-edit'))).toMatchObject({ iid: 15, state: 'closed', description: '', closedAt: new Date('2016-01-08T12:55:16.213Z') });
  });
});

describe('notes (doc/api/notes.md)', () => {
  it('"List project issue notes": a system note and an internal one', () => {
    const notes = list('notes-list-issue').map(toNote);
    expect(notes.map((n) => ({ id: n.id, system: n.system, internal: n.internal }))).toEqual([
      { id: 302, system: true, internal: false },
      { id: 305, system: true, internal: true },
    ]);
    expect(notes[1]!.body).toBe('Text of the comment\r\n');
    expect(notes[0]!.author).toEqual({ id: 1, username: 'pipin', name: 'Pip' });
  });

  it('"Get single merge request note"', () => {
    expect(toNote(fixture('notes-get-merge-request'))).toMatchObject({
      id: 301,
      body: 'Comment for MR',
      system: false,
      internal: false,
      createdAt: new Date('2013-10-02T08:57:14Z'),
    });
  });
});

describe('merge requests (doc/api/merge_requests.md)', () => {
  it('"List project merge requests": a merged one', () => {
    const [mr] = list('merge-requests-list-project').map(toMergeRequest);
    expect(mr).toMatchObject({
      iid: 1,
      projectId: 3,
      state: 'merged',
      labels: ['Community contribution', 'Manage'],
      sourceBranch: 'test1',
      targetBranch: 'main',
      sha: '8888888888888888888888888888888888888888',
      draft: false,
      mergedAt: new Date('2018-09-07T11:16:17.520Z'),
    });
  });

  it('"Get single MR": an open one, description empty', () => {
    expect(toMergeRequest(fixture('merge-requests-get'))).toMatchObject({
      iid: 133,
      state: 'opened',
      description: '',
      sha: 'e82eb4a098e32c796079ca3915e07487fc4db24c',
      mergedAt: null,
    });
  });

  it('"Get merge request blocked MRs": a merged merge request whose sha is null', () => {
    // doc/api/merge_requests.md, "Get merge request blocked MRs", blocking_merge_request
    // (flightjs/Flight!10): `"sha": null`. The diff head is gone; the merge request is not.
    expect(toMergeRequest(fixture('merge-request-merged-without-sha'))).toMatchObject({ iid: 10, state: 'merged', sha: '' });
  });

  it('"Get single merge request changes": state "reopened" is an open merge request', () => {
    // The example answers `"state": "reopened"`, a state the list of states does not name.
    expect(toMergeRequest(fixture('merge-request-changes-reopened'))).toMatchObject({ iid: 1, state: 'opened' });
  });

  it('a merge request without a head commit: no statuses to read, a clear error when one is set', async () => {
    // Nothing listens there: neither call may reach GitLab with an empty sha.
    const gateway = new RestGateway({ url: 'http://127.0.0.1:9', token: 't', concurrency: 1, retry: { retries: 0, baseMs: 1, maxMs: 1 }, slowDownBelow: 0.1, timeoutMs: 500 });
    const statuses: unknown[] = [];
    for await (const status of gateway.listCommitStatuses(7, '', { name: 'approvals' })) statuses.push(status);
    expect(statuses).toEqual([]);
    await expect(gateway.setCommitStatus(7, { sha: '', state: 'success', name: 'approvals' })).rejects.toThrow(/no head commit/);
  });

  it('"List merge request diffs": the paths changed', () => {
    expect(toChangedPaths(fixture('merge-request-diffs'))).toEqual(['README', 'VERSION']);
  });
});

describe('merge request approvals (doc/api/merge_request_approvals.md)', () => {
  it('Premium, "Get Configuration" of a merge request: no `approved` field, one approval of two', () => {
    expect(toApprovals(fixture('merge-request-approvals-premium'))).toEqual({
      tier: 'premium',
      approved: false,
      approvalsRequired: 2,
      approvalsLeft: 1,
      approvedBy: [{ id: 1, username: 'root', name: 'Administrator' }],
      approvedAt: expect.any(Map),
    });
  });

  it('Free: approved once anyone approved (lib/api/entities/merge_request_approvals.rb)', () => {
    expect(toApprovals(fixture('merge-request-approvals-free'))).toMatchObject({ tier: 'free', approved: true, approvalsLeft: 0, approvedBy: [{ username: 'root' }] });
  });
});

describe('projects, labels, statuses, schedules, files, emoji, events', () => {
  it('"Get a single project" (doc/api/projects.md)', () => {
    expect(toProject(fixture('projects-get'))).toEqual({
      id: 3,
      pathWithNamespace: 'diaspora/diaspora-project-site',
      visibility: 'private',
      webUrl: 'http://example.com/diaspora/diaspora-project-site',
      defaultBranch: 'main',
      pipelineVariablesMinimumOverrideRole: 'maintainer',
      // project_access Guest (10), group_access Owner (50): the higher one is the caller's role.
      accessLevel: 50,
    });
    expect(toOwnedProject(fixture('projects-get'))).toMatchObject({
      emptyRepo: false,
      openIssuesCount: 1,
      statistics: { commitCount: 37, repositorySize: 1038090, storageSize: 1038090 },
    });
  });

  it('"List labels" (doc/api/labels.md)', () => {
    expect(list('labels-list-project').map(toLabelName)).toEqual(['bug', 'confirmed']);
  });

  it('"List the statuses of a commit" (doc/api/commits.md): description null', () => {
    expect(list('commit-statuses-list').map(toCommitStatus)).toEqual([
      {
        id: 91,
        name: 'bundler:audit',
        status: 'pending',
        description: null,
        targetUrl: 'https://gitlab.example.com/janedoe/gitlab-foss/builds/91',
        createdAt: new Date('2016-01-19T08:40:25.934Z'),
      },
    ]);
  });

  it('pipeline schedules (doc/api/pipeline_schedules.md): list without variables, one with, created, taken over', () => {
    const [listed] = list('pipeline-schedules-list').map(toPipelineSchedule);
    expect(listed).toEqual({
      id: 13,
      description: 'Test schedule pipeline',
      ref: 'refs/heads/main',
      cron: '* * * * *',
      cronTimezone: 'Asia/Tokyo',
      active: true,
      owner: { id: 1, username: 'root', name: 'Administrator' },
    });
    expect(toPipelineSchedule(fixture('pipeline-schedule-get')).variables).toEqual([{ key: 'TEST_VARIABLE_1', value: 'TEST_1' }]);
    expect(toPipelineSchedule(fixture('pipeline-schedule-create'))).toMatchObject({ id: 14, cronTimezone: 'UTC' });
    expect(toPipelineSchedule(fixture('pipeline-schedule-take-ownership')).owner).toEqual({ id: 50, username: 'maeda', name: 'shinya' });
  });

  it('"List an awardable\'s emoji reactions" (doc/api/emoji_reactions.md)', () => {
    expect(list('award-emoji-list').map(toAwardEmoji)).toEqual([
      { id: 4, name: '1234', user: { id: 1, username: 'root', name: 'Administrator' }, createdAt: expect.any(Date) },
      { id: 1, name: 'microphone', user: { id: 26, username: 'user4', name: 'User 4' }, createdAt: expect.any(Date) },
    ]);
  });

  it('"List project issue label events" (doc/api/resource_label_events.md)', () => {
    expect(list('resource-label-events').map(toLabelEvent)).toEqual([
      { id: 142, action: 'add', label: 'a1', user: { id: 1, username: 'root', name: 'Administrator' }, createdAt: new Date('2018-08-20T13:38:20.077Z') },
    ]);
  });

  it('"Get user contribution events" (doc/api/events.md): an event without created_at is a clear error, not a date the bot made up', () => {
    // Three of the example's four events have no created_at. The bot reads the newest event
    // to date a user's last contribution: it cannot, so it says which field is missing.
    const [closed, , , commented] = list('user-contribution-events');
    expect(() => toUserEvent(closed)).toThrow(GitLabResponseError);
    expect(() => toUserEvent(closed)).toThrow(/created_at/);
    expect(toUserEvent(commented)).toEqual({ actionName: 'commented on', projectId: 15, targetType: 'Note', createdAt: new Date('2015-12-04T10:33:58.089Z') });
  });
});

describe('users, namespaces, members (doc/api/users.md, namespaces.md, members.md)', () => {
  it('"List users" as a regular user: no created_at, no sign-in data', () => {
    const [john, jack] = list('users-list-regular').map(toUserDetails);
    expect(john).toEqual({ id: 1, username: 'john_smith', name: 'John Smith', state: 'active', webUrl: 'http://localhost:3000/john_smith' });
    expect(jack!.state).toBe('blocked');
  });

  it('"List users" as an administrator: sign-in data, "never" as null', () => {
    const [john, jack] = list('users-list-admin').map(toUserDetails);
    expect(john).toMatchObject({ lastActivityOn: new Date('2012-05-23T00:00:00Z'), lastSignInAt: new Date('2012-06-01T11:41:01Z'), createdAt: new Date('2012-05-23T08:00:58Z') });
    expect(jack!.lastSignInAt).toBeNull();
  });

  it('"Get a single user" as a regular user; the user reference', () => {
    expect(toUser(fixture('users-get-regular'))).toEqual({ id: 1, username: 'john_smith', name: 'John Smith' });
    expect(toUserDetails(fixture('users-get-regular')).lastActivityOn).toBeUndefined();
  });

  it('"Get namespace by ID", with and without web_url; "Verify namespace availability"', () => {
    expect(toNamespace(fixture('namespaces-get'))).toEqual({ id: 2, kind: 'group', fullPath: 'group1', webUrl: 'https://gitlab.example.com/groups/group1', visibility: null });
    expect(toNamespace(fixture('namespaces-get-old'))).toEqual({ id: 2, kind: 'group', fullPath: 'group1', webUrl: null, visibility: null });
    expect(toNamespaceExists(fixture('namespaces-exists'))).toEqual({ exists: true, suggests: ['my-group1'] });
  });

  it('"List all members of a group"', () => {
    expect(list('group-members-list').map(toUser)).toEqual([{ id: 1, username: 'raymond_smith', name: 'Raymond Smith' }]);
  });
});

describe('an answer in another shape', () => {
  it('is a GitLabResponseError naming what and which fields, not a raw zod dump', () => {
    const issue = { ...(list('issues-list-project')[0] as Record<string, unknown>) };
    delete issue.author;
    issue.iid = '1';
    let error: unknown;
    try {
      toIssue(issue);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GitLabResponseError);
    expect((error as Error).message).toMatch(/^GitLab answered an issue the bot cannot read: /);
    expect((error as Error).message).toContain('iid: expected number, received string');
    expect((error as Error).message).toContain('author: expected object, received undefined');
    expect((error as Error).message.split('\n')).toHaveLength(1);
  });

  it('a timestamp that is not one is refused, not mapped to an Invalid Date', () => {
    const note = { ...(fixture('notes-get-merge-request') as Record<string, unknown>), created_at: 'yesterday' };
    expect(() => toNote(note)).toThrow(/created_at: not a timestamp: "yesterday"/);
  });

  it('a list that is not a list', () => {
    expect(() => toChangedPaths({ message: 'no' })).toThrow(GitLabResponseError);
  });
});
