// Seed data. `empty` has only the well-known users and tokens; `demo` adds
// the Support team's group, members and projects (handbook: 002, 004), a
// handbook-like project for merge requests, and users who look dormant.
//
// Visibility: support-team-meta and feedback are public projects on GitLab.com;
// internal-requests is public too, but its request templates carry user data,
// so issues there are expected to be confidential (the demo opens them so).

import { ACCESS, type SandboxStore } from './store.js';

export const SANDBOX_TOKENS = {
  admin: 'sandbox-admin-token',
  bot: 'sandbox-bot-token',
  member: 'sandbox-member-token',
} as const;

export const DEMO_PROJECTS = {
  supportTeamMeta: 'gitlab-com/support/support-team-meta',
  internalRequests: 'gitlab-com/support/internal-requests',
  feedback: 'gitlab-com/support/feedback',
  handbook: 'gitlab-com/content-sites/handbook',
} as const;

export type SeedName = 'demo' | 'empty';

const DAY = 86_400_000;

export function seedBase(store: SandboxStore): void {
  const created = new Date(store.now().getTime() - 900 * DAY);
  store.createUser({ username: 'root', name: 'Administrator', isAdmin: true, token: SANDBOX_TOKENS.admin, createdAt: created });
  // The bot is a normal user, as on GitLab.com: admin-only calls (renaming a user) need the admin token.
  store.createUser({ username: 'support-bot', name: 'Support Bot', bot: true, token: SANDBOX_TOKENS.bot, createdAt: created });
  store.createUser({ username: 'alice', name: 'Alice Support', token: SANDBOX_TOKENS.member, createdAt: created });
}

export function seedDemo(store: SandboxStore): void {
  const now = store.now().getTime();
  const ago = (days: number): Date => new Date(now - days * DAY);

  const support = store.ensureGroupPath('gitlab-com/support');
  support.name = 'Support';
  const managers = store.createGroup({ path: 'managers', name: 'Managers', parentId: support.id });
  const emea = store.createGroup({ path: 'emea', name: 'EMEA', parentId: support.id });
  const amer = store.createGroup({ path: 'amer', name: 'AMER', parentId: support.id });

  const bot = store.findUserByUsername('support-bot');
  const alice = store.findUserByUsername('alice');
  if (!bot || !alice) throw new Error('sandbox: seedBase must run before seedDemo');

  const engineers = [
    alice,
    store.createUser({ username: 'bruno', name: 'Bruno Support', createdAt: ago(700) }),
    store.createUser({ username: 'chen', name: 'Chen Support', createdAt: ago(500) }),
    store.createUser({ username: 'dana', name: 'Dana Support', createdAt: ago(300) }),
  ];
  const manager = store.createUser({ username: 'maria-manager', name: 'Maria Manager', createdAt: ago(800) });
  const requester = store.createUser({ username: 'sam-sales', name: 'Sam Sales', createdAt: ago(400) });

  for (const e of engineers) store.addGroupMember(support.id, e.id, ACCESS.developer);
  store.addGroupMember(emea.id, alice.id, ACCESS.developer);
  store.addGroupMember(emea.id, engineers[1]!.id, ACCESS.developer);
  store.addGroupMember(amer.id, engineers[2]!.id, ACCESS.developer);
  store.addGroupMember(amer.id, engineers[3]!.id, ACCESS.developer);
  store.addGroupMember(support.id, manager.id, ACCESS.maintainer);
  store.addGroupMember(managers.id, manager.id, ACCESS.maintainer);
  store.addGroupMember(support.id, bot.id, ACCESS.maintainer);

  const meta = store.createProject({
    path_with_namespace: DEMO_PROJECTS.supportTeamMeta,
    name: 'Support Team Meta',
    visibility: 'public',
    description: 'Process proposals, Support Readiness, Support Shadow Program, SWIR',
  });
  const requests = store.createProject({
    path_with_namespace: DEMO_PROJECTS.internalRequests,
    name: 'Internal Requests',
    visibility: 'public',
    description: 'Contact Request, Name Squatting Request and other internal requests',
  });
  store.createProject({ path_with_namespace: DEMO_PROJECTS.feedback, name: 'Feedback', visibility: 'public', description: 'Indirect Feedback about Support' });
  const handbook = store.createProject({
    path_with_namespace: DEMO_PROJECTS.handbook,
    name: 'Handbook',
    visibility: 'public',
    description: 'Handbook-like repository whose merge requests need visible approval',
  });
  store.addProjectMember(handbook.id, bot.id, ACCESS.developer);
  for (const e of engineers) store.addProjectMember(handbook.id, e.id, ACCESS.developer);
  store.addProjectMember(handbook.id, manager.id, ACCESS.maintainer);
  store.setFile(handbook.id, 'main', 'content/handbook/support/_index.md', '# Support\n\nThe Support team handbook.\n');
  store.addCommit(handbook.id, { branch: 'main', message: 'Initial handbook', authorId: manager.id });
  store.setFile(meta.id, 'main', 'README.md', '# Support Team Meta\n');
  store.addCommit(meta.id, { branch: 'main', message: 'Initial commit', authorId: manager.id });

  for (const e of engineers) store.addEvent(e.id, { projectId: meta.id, actionName: 'commented on', targetType: 'Note', createdAt: ago(3) });
  store.addEvent(requester.id, { projectId: requests.id, actionName: 'opened', targetType: 'Issue', createdAt: ago(30) });

  // Dormant-looking accounts: old activity, no projects, no recent events.
  store.createUser({ username: 'idle-squatter', name: 'Old Account', createdAt: ago(2400), lastActivityOn: ago(1100), lastSignInAt: ago(1100) });
  store.createUser({ username: 'coolname', name: 'Cool Name', createdAt: ago(2000), lastActivityOn: ago(800), lastSignInAt: ago(800) });
  store.createUser({ username: 'never-active', name: 'Never Active', createdAt: ago(1500), lastActivityOn: null, lastSignInAt: null });
  // Looks old, but owns a project with recent activity: not dormant.
  const owner = store.createUser({ username: 'busy-owner', name: 'Busy Owner', createdAt: ago(2000), lastActivityOn: ago(400) });
  const personal = store.createProject({ path_with_namespace: 'busy-owner/side-project', visibility: 'public', creatorId: owner.id });
  store.addEvent(owner.id, { projectId: personal.id, actionName: 'pushed to', createdAt: ago(20) });

  store.createIssue(meta.id, {
    title: 'Support Week in Review - previous week',
    description: 'Announcements and workflow changes from last week.',
    authorId: manager.id,
    labels: ['SWIR'],
    state: 'closed',
    createdAt: ago(8),
    closedAt: ago(7),
  });
}
