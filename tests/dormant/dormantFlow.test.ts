import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import { startStack, type Stack } from '../../src/demo/stack.js';
import { JOBS } from '../../src/jobs/index.js';
import { ago, INTERNAL_REQUESTS, nameSquattingRequest, openRequest, setBotAdmin, writesOf } from './helpers.js';

// The dormant-namespace rule over HTTP: the webhook path and `run dormant` in process,
// against the sandbox with GitLab's permissions (admin-only fields hidden from others).

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const base = loadConfig();
const allowingRename: LoadedConfig = { ...base, config: { ...base.config, dormant: { ...base.config.dormant, allowRename: true } } };

function output() {
  let text = '';
  return { out: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

function issue(s: Stack, iid: number) {
  return s.sandbox.store.getIssue(s.sandbox.store.resolveProject(INTERNAL_REQUESTS)!.id, iid)!;
}

function report(s: Stack, iid: number): string {
  const bot = s.sandbox.store.findUserByUsername('support-bot')!;
  return s.sandbox.store
    .listNotes(issue(s, iid))
    .filter((n) => n.authorId === bot.id && n.body.includes('support-bot:dormant-namespace'))
    .map((n) => n.body)
    .join('\n---\n');
}

async function comment(s: Stack, iid: number, body: string, as = 'chen') {
  const project = encodeURIComponent(INTERNAL_REQUESTS);
  const res = await fetch(`${s.sandbox.url}/api/v4/projects/${project}/issues/${iid}/notes`, {
    method: 'POST',
    headers: { 'PRIVATE-TOKEN': s.tokenFor(as), 'Content-Type': 'application/json' },
    body: JSON.stringify({ body }),
  });
  expect(res.status).toBe(201);
  await s.settle();
}

describe('dormant namespace over webhooks', () => {
  it('an administrator token: a comment on a request brings its report; eligible, and no rename on a webhook', async () => {
    stack = await startStack({ loaded: allowingRename });
    setBotAdmin(stack.sandbox, true);
    const iid = openRequest(stack.sandbox, 'https://gitlab.com/coolname');
    await comment(stack, iid, 'Any news on this one?');
    expect(issue(stack, iid).labels).toContain('dormant::eligible');
    const body = report(stack, iid);
    expect(body).toMatch(/No activity for 6 months \| pass \| last activity \d{4}-\d\d-\d\d \(last_activity_on\)/);
    expect(body).toContain('would be renamed to `idlecoolname`');
    expect(stack.sandbox.store.findUserByUsername('coolname')).toBeDefined();
    expect(writesOf(stack.sandbox).filter((r) => r.path.startsWith('/api/v4/users'))).toEqual([]);
  });

  it("names the user's public projects in the report, never a private or internal one (an administrator token lists them all)", async () => {
    stack = await startStack();
    setBotAdmin(stack.sandbox, true);
    const { store } = stack.sandbox;
    const user = store.findUserByUsername('coolname')!;
    for (const [path, visibility] of [
      ['coolname/acme-escalation-notes', 'private'],
      ['coolname/internal-tooling', 'internal'],
      ['coolname/dotfiles', 'public'],
    ] as const) {
      const project = store.createProject({ path_with_namespace: path, visibility, creatorId: user.id });
      store.createIssue(project.id, { title: 'kept', authorId: user.id });
    }
    const iid = openRequest(stack.sandbox, '@coolname');
    await comment(stack, iid, 'Any news on this one?');
    const body = report(stack, iid);
    expect(body).toMatch(/No data \| fail \| 3 owned projects; with data: .*`coolname\/dotfiles` \(1 open issue\)/);
    expect(body).toContain('a private project (1 open issue)');
    expect(body).toContain('an internal project (1 open issue)');
    expect(body).not.toContain('acme-escalation-notes');
    expect(body).not.toContain('internal-tooling');
  });

  it('a non-administrator token (the needs-admin path): the first report, on the issue.open webhook, says at once that an administrator must check', async () => {
    stack = await startStack();
    setBotAdmin(stack.sandbox, false);
    const res = await fetch(`${stack.sandbox.url}/api/v4/projects/${encodeURIComponent(INTERNAL_REQUESTS)}/issues`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': stack.tokenFor('chen'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Release coolname', description: nameSquattingRequest('@coolname') }),
    });
    expect(res.status).toBe(201);
    const iid = ((await res.json()) as { iid: number }).iid;
    await stack.settle();
    // The first report: no contact attempt yet, and no waiting for any.
    expect(issue(stack, iid).labels.filter((l) => l.startsWith('dormant::'))).toEqual(['dormant::needs-admin']);
    const first = report(stack, iid);
    expect(first).toContain('**needs an administrator: 3 of 4 criteria cannot be verified with this token**');
    expect(first).toContain('contact attempts alone cannot lead to a release');
    expect(first).toContain("Contact attempt: e-mailed the account's primary address, no reply.");
    expect(first).not.toContain('Waiting for contact attempts');
    // Contact attempts keep counting, and the request keeps needing an administrator.
    await comment(stack, iid, 'Contact attempt: called, voicemail.');
    expect(issue(stack, iid).labels.filter((l) => l.startsWith('dormant::'))).toEqual(['dormant::needs-admin']);
    const body = report(stack, iid);
    expect(body).toMatch(/contact attempts within 14 days \| pending \| 1 of 4 contact attempts/);
    expect(body).toMatch(/No activity for 6 months \| cannot verify \| .*last_activity_on is shown to administrators only/);
    expect(body).toMatch(/No data \| cannot verify \| .*private projects are hidden from a non-administrator token/);
    // The user list answered without admin-only fields.
    const lookups = stack.sandbox.requests.filter((r) => r.path === '/api/v4/users' && r.query.username === 'coolname');
    expect(lookups.length).toBeGreaterThan(0);
  });

  it("contact attempts count when Support records them, however they are formatted; the requester's audience cannot add them", async () => {
    stack = await startStack();
    setBotAdmin(stack.sandbox, false);
    const iid = openRequest(stack.sandbox, 'coolname', []);
    await comment(stack, iid, '**Contact attempt 1:** e-mailed the primary address.');
    await comment(stack, iid, '- contact attempt #2: called, voicemail.', 'maria-manager');
    // sam-sales is not in gitlab-com/support: the same line from them is named, and not counted.
    await comment(stack, iid, 'Contact attempt: I e-mailed them too.', 'sam-sales');
    const body = report(stack, iid);
    expect(body).toMatch(
      /contact attempts within 14 days \| pending \| 2 of 4 contact attempts; the window closes on \d{4}-\d\d-\d\d; 1 comment in that form by `sam-sales`, outside the Support team, not counted/,
    );
    expect(body).not.toContain('@sam-sales');
  });

  it('a group and a missing user are reported as such', async () => {
    stack = await startStack();
    setBotAdmin(stack.sandbox, false);
    const group = openRequest(stack.sandbox, 'gitlab-com', []);
    const ghost = openRequest(stack.sandbox, 'nobody-has-this', []);
    await comment(stack, group, 'Checking.');
    await comment(stack, ghost, 'Checking.');
    expect(issue(stack, group).labels).toContain('dormant::not-eligible');
    expect(report(stack, group)).toContain('`gitlab-com` is a group, not a user');
    expect(issue(stack, ghost).labels).toContain('dormant::user-not-found');
  });
  // Issue 21 #7: the request is public; a private group only the bot can see (it is a member) is
  // neither linked nor called a group; a public group is both. GET /groups/:id shows a private group to members only.
  it.each([
    { visibility: 'private' as const, admin: false },
    { visibility: 'private' as const, admin: true },
    { visibility: 'internal' as const, admin: false },
    { visibility: 'public' as const, admin: false },
  ])('a $visibility group named by a public request (admin token: $admin): named as a group only when public', async ({ visibility, admin }) => {
    stack = await startStack();
    setBotAdmin(stack.sandbox, admin);
    const { store } = stack.sandbox;
    const group = store.createGroup({ path: 'acme-escalations', name: 'ACME escalations', visibility });
    store.addGroupMember(group.id, store.findUserByUsername('support-bot')!.id, 30);
    const iid = openRequest(stack.sandbox, 'acme-escalations', []);
    await comment(stack, iid, 'Checking.');
    const body = report(stack, iid);
    expect(issue(stack, iid).labels).toContain('dormant::not-eligible');
    expect(body).toContain('the Dormant usernames process does not apply');
    if (visibility === 'public') {
      expect(body).toContain(`[\`acme-escalations\`](${store.baseUrl}/groups/acme-escalations): **a group, not a user**`);
    } else {
      expect(body).toContain("`acme-escalations`: **not a user's namespace**");
      expect(body).not.toMatch(/group|ACME escalations|\/groups\//i);
    }
  });

  it('a blocked user, hidden from a non-administrator (UsersFinder: without_forbidden_states), is not reported as a group', async () => {
    stack = await startStack();
    setBotAdmin(stack.sandbox, false);
    stack.sandbox.store.createUser({ username: 'gone-quiet', state: 'blocked' });
    const iid = openRequest(stack.sandbox, 'gone-quiet', []);
    await comment(stack, iid, 'Checking.');
    const body = report(stack, iid);
    expect(body).not.toContain('is a group');
    expect(body).toContain('cannot verify');
    expect(issue(stack, iid).labels).toContain('dormant::needs-admin');
  });
});

describe('a private profile cannot prove dormancy', () => {
  it.each([
    { privateProfile: true, admin: false, hidden: true },
    { privateProfile: false, admin: false, hidden: false },
    { privateProfile: true, admin: true, hidden: false },
  ])('private profile $privateProfile, administrator token $admin: events and contributions hidden $hidden', async ({ privateProfile, admin, hidden }) => {
    stack = await startStack();
    setBotAdmin(stack.sandbox, admin);
    stack.sandbox.store.findUserByUsername('coolname')!.privateProfile = privateProfile;
    const iid = openRequest(stack.sandbox, 'https://gitlab.com/coolname');
    await JOBS.dormant(stack.runtime, { out: output().out });
    const body = report(stack, iid);
    const inactivity = body.split('\n').find((line) => line.includes('No activity for 6 months'))!;
    if (hidden) {
      expect(inactivity).toContain('| cannot verify |');
      expect(inactivity).toContain("contribution events (the user's profile is private (or the account blocked): its events and contributions are hidden from this token)");
      expect(inactivity).not.toMatch(/contributed to \d+ project/);
    } else {
      expect(inactivity).not.toContain('profile is private');
      expect(inactivity).toMatch(/contributed to \d+ projects? in the past year/);
    }
    // An administrator reads a private profile: the request can be eligible; a non-administrator's stays open.
    expect(issue(stack, iid).labels).toContain(admin ? 'dormant::eligible' : 'dormant::needs-admin');
  });
});

describe('support-bot run dormant (in process)', () => {
  it('reads each namespace once per run over many requests, and writes nothing the second time', async () => {
    stack = await startStack({ hooks: false });
    setBotAdmin(stack.sandbox, true);
    const namespaces = ['coolname', 'idle-squatter', 'never-active', 'gitlab-com', 'nobody-has-this'];
    for (let i = 0; i < 6; i += 1)
      for (const ns of namespaces) openRequest(stack.sandbox, i % 2 ? `@${ns}` : `https://gitlab.com/${ns}`, ns === 'never-active' ? [3] : [19, 16, 13, 10]);
    const first = output();
    const result = await JOBS.dormant(stack.runtime, { out: first.out });
    expect(result.failed).toBe(false);
    expect(result.summary).toMatch(/30 issues seen, 30 changed/);
    expect(result.summary).toMatch(/requests: 12 eligible, 6 pending contact, 0 needs an administrator, 6 not eligible, 6 user not found/);

    const readsPerNamespace = (ns: string) =>
      stack!.sandbox.requests.filter((r) => r.method === 'GET' && r.path === '/api/v4/users' && String(r.query.username).toLowerCase() === ns).length;
    for (const ns of namespaces) expect(readsPerNamespace(ns), ns).toBe(1);
    const userReads = (id: number) => stack!.sandbox.requests.filter((r) => r.path === `/api/v4/users/${id}/events` || r.path === `/api/v4/users/${id}/projects`).length;
    const coolname = stack.sandbox.store.findUserByUsername('coolname')!;
    expect(userReads(coolname.id)).toBe(2);
    // GET /user: the bot's identity (no bot.username configured) and is_admin, each once per run.
    expect(stack.sandbox.requests.filter((r) => r.path === '/api/v4/user').length).toBe(2);

    const writesBefore = writesOf(stack.sandbox).length;
    const requestsBefore = stack.sandbox.requests.length;
    const second = await JOBS.dormant(stack.runtime, { out: output().out });
    expect(second.summary).toMatch(/30 issues seen, 0 changed, 0 writes/);
    expect(writesOf(stack.sandbox).length).toBe(writesBefore);
    // Second run: the same reads again, once per namespace; the note bodies matched, so nothing was written.
    for (const ns of namespaces) expect(readsPerNamespace(ns), ns).toBe(2);
    const perRun = stack.sandbox.requests.length - requestsBefore;
    expect(perRun).toBeLessThan(30 * 2 + namespaces.length * 6 + 10);
  });

  it('an eligible request goes back to not eligible when the user is active again', async () => {
    stack = await startStack({ hooks: false });
    setBotAdmin(stack.sandbox, true);
    const iid = openRequest(stack.sandbox, 'coolname');
    await JOBS.dormant(stack.runtime, { out: output().out });
    expect(issue(stack, iid).labels).toContain('dormant::eligible');
    const coolname = stack.sandbox.store.findUserByUsername('coolname')!;
    stack.sandbox.store.addEvent(coolname.id, { projectId: null, actionName: 'commented on', targetType: 'Note', createdAt: ago(1) });
    await JOBS.dormant(stack.runtime, { out: output().out });
    expect(issue(stack, iid).labels).toContain('dormant::not-eligible');
    expect(issue(stack, iid).labels).not.toContain('dormant::eligible');
    expect(report(stack, iid)).toMatch(/the user was active on \d{4}-\d\d-\d\d \(contribution event "commented on"\), after the first attempt/);
  });

  it('--apply-rename with allowRename and an administrator token: renames (numbered when taken), records, closes', async () => {
    stack = await startStack({ hooks: false, loaded: allowingRename });
    setBotAdmin(stack.sandbox, true);
    stack.sandbox.store.createUser({ username: 'idlecoolname', name: 'Taken' });
    const iid = openRequest(stack.sandbox, 'coolname');
    const out = output();
    const result = await JOBS.dormant(stack.runtime, { out: out.out, applyRename: true });
    expect(result.failed).toBe(false);
    expect(out.text()).toContain('rename user @coolname to @idlecoolname1');
    expect(stack.sandbox.store.findUserByUsername('coolname')).toBeUndefined();
    expect(stack.sandbox.store.findUserByUsername('idlecoolname1')).toBeDefined();
    expect(issue(stack, iid).state).toBe('closed');
    expect(report(stack, iid)).toContain('**Released:** `coolname` was renamed to `idlecoolname1`');
    expect(report(stack, iid)).toContain('(`idlecoolname` was taken)');
    expect(report(stack, iid)).toContain('**Namespace released.** `coolname` was renamed to `idlecoolname1`');
    // Reopened later: the report follows the new state; the record of the release stays.
    issue(stack, iid).state = 'opened';
    await JOBS.dormant(stack.runtime, { out: output().out });
    expect(issue(stack, iid).labels).toContain('dormant::user-not-found');
    expect(report(stack, iid)).toContain('**Namespace released.** `coolname` was renamed to `idlecoolname1`');
    // The intent went into the request first, then the rename, then the labels and the close.
    const writes = writesOf(stack.sandbox).map((r) => `${r.method} ${r.path}`);
    const rename = writes.findIndex((w) => w.startsWith('PUT /api/v4/users/'));
    expect(writes.slice(0, rename + 1)).toEqual([expect.stringMatching(/^POST .*\/issues\/\d+\/notes$/), expect.stringMatching(/^PUT \/api\/v4\/users\/\d+$/)]);
    expect(writes.findIndex((w) => /^PUT .*\/issues\/\d+$/.test(w))).toBeGreaterThan(rename);
  });

  it('a rename GitLab refuses leaves the request as it was, and the run fails', async () => {
    stack = await startStack({ hooks: false, loaded: allowingRename });
    setBotAdmin(stack.sandbox, true);
    const iid = openRequest(stack.sandbox, 'coolname');
    stack.sandbox.faults.failNext(1, 409, { methods: ['PUT'], pathPattern: /\/users\// });
    const result = await JOBS.dormant(stack.runtime, { out: output().out, applyRename: true });
    expect(result.failed).toBe(true);
    expect(result.summary).toMatch(/1 failed/);
    expect(issue(stack, iid).state).toBe('opened');
    expect(issue(stack, iid).labels.filter((l) => l.startsWith('dormant::'))).toEqual([]);
    // Only the intent, written before the rename, is there.
    expect(report(stack, iid)).toMatch(/^<!-- support-bot:dormant-namespace-release -->\n\*\*Releasing the namespace `coolname`:\*\* renaming `coolname` to `idlecoolname` on /);
    expect(stack.sandbox.store.findUserByUsername('coolname')).toBeDefined();
    // A run without --apply-rename says the release did not happen; the next --apply-rename run releases.
    await JOBS.dormant(stack.runtime, { out: output().out });
    expect(report(stack, iid)).toContain('**Release not completed.** A release of `coolname` started on');
    expect(report(stack, iid)).toContain('the account still has the name `coolname`');
    await JOBS.dormant(stack.runtime, { out: output().out, applyRename: true });
    expect(stack.sandbox.store.findUserByUsername('idlecoolname')).toBeDefined();
    expect(report(stack, iid)).toContain('**Namespace released.** `coolname` was renamed to `idlecoolname`');
    expect(issue(stack, iid).state).toBe('closed');
  });

  it('--apply-rename without an administrator token renames nothing and says why', async () => {
    stack = await startStack({ hooks: false, loaded: allowingRename });
    setBotAdmin(stack.sandbox, false);
    openRequest(stack.sandbox, 'coolname');
    const out = output();
    await JOBS.dormant(stack.runtime, { out: out.out, applyRename: true });
    expect(out.text()).toContain("nothing will be renamed: the token is not an administrator's");
    expect(stack.sandbox.store.findUserByUsername('coolname')).toBeDefined();
    expect(writesOf(stack.sandbox).filter((r) => r.path.startsWith('/api/v4/users'))).toEqual([]);
  });
});

describe('support-bot run dormant: the window', () => {
  it('says so when the window passed without four attempts', async () => {
    stack = await startStack({ hooks: false });
    setBotAdmin(stack.sandbox, true);
    openRequest(stack.sandbox, 'coolname', [30, 27, 25]);
    const out = output();
    await JOBS.dormant(stack.runtime, { out: out.out });
    expect(out.text()).toMatch(
      /\[dormant-namespace\] written: issue #\d+: add ~"dormant::pending-contact".*\(`coolname`: waiting for contact attempts \(the window from \d{4}-\d\d-\d\d closed on \d{4}-\d\d-\d\d with 3 of 4 attempts: a new series of 4 within 14 days is needed\)\)/,
    );
  });
});
