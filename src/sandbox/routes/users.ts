// Users: the current user, lookup by username, single user, events, projects,
// contributed projects, activity (admin) and the admin edit (rename).

import type { Router } from 'express';
import { canRead, checkEndpointLimit, currentUser, intPathParam, requireAdmin, type SandboxContext } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, date, oneOf, paramsOf, str } from '../params.js';
import { canReadProfile, eventJson, projectJson, userBasic, userFull } from '../serialize.js';
import { dateOnly } from '../store.js';
import { withStatistics } from './namespaces.js';
import type { UserRec } from '../types.js';

export function userRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  const userFrom = (id: number): UserRec => {
    const user = store.getUser(id);
    if (!user) throw notFound('User');
    return user;
  };

  api.get('/user', (_req, res) => {
    const me = currentUser(res);
    res.json(userFull(store, me, { asAdmin: me.isAdmin, self: true }));
  });

  api.get('/user/activities', (req, res) => {
    requireAdmin(res);
    const from = date(paramsOf(req), 'from') ?? new Date(store.now().getTime() - 182 * 86_400_000);
    const fromDay = dateOnly(from);
    const list = store.users.filter((u) => u.lastActivityOn !== null && u.lastActivityOn >= fromDay);
    res.json(paginate(req, res, list, ctx.pagination).map((u) => ({ username: u.username, last_activity_on: u.lastActivityOn, last_activity_at: u.lastActivityOn })));
  });

  api.get('/users', (req, res) => {
    const viewer = currentUser(res);
    const p = paramsOf(req);
    const username = str(p, 'username')?.toLowerCase();
    // User.search (app/models/user.rb, via UsersFinder): the query loses a leading `@`, matches
    // name and username as substrings, and an email only whole — a private email only for
    // administrators (`with_private_emails`); the sandbox's users have no public email.
    const search = str(p, 'search')?.replace(/^@/, '').toLowerCase();
    const active = bool(p, 'active');
    const blocked = bool(p, 'blocked');
    const excludeInternal = bool(p, 'exclude_internal') ?? false;
    const orderBy = oneOf(p, 'order_by', ['id', 'name', 'username', 'created_at', 'updated_at'] as const) ?? 'id';
    const sort = oneOf(p, 'sort', ['asc', 'desc'] as const) ?? 'desc';
    // UsersFinder#base_scope: administrators list every user, others `User.without_forbidden_states`
    // (no blocked or banned user), also when asking for one username.
    const list = store.users
      .filter(
        (u) =>
          (viewer.isAdmin || (u.state !== 'blocked' && u.state !== 'banned')) &&
          (!username || u.username.toLowerCase() === username) &&
          (!search || `${u.username}\n${u.name}`.toLowerCase().includes(search) || (viewer.isAdmin && u.email.toLowerCase() === search)) &&
          (!active || u.state === 'active') &&
          (!blocked || u.state === 'blocked') &&
          (!excludeInternal || !u.bot),
      )
      .sort((a, b) => {
        const key = (u: UserRec): string | number =>
          orderBy === 'name' ? u.name : orderBy === 'username' ? u.username : orderBy === 'created_at' || orderBy === 'updated_at' ? u.createdAt.getTime() : u.id;
        const ka = key(a);
        const kb = key(b);
        const c = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
        return sort === 'asc' ? c : -c;
      });
    res.json(paginate(req, res, list, ctx.pagination).map((u) => (viewer.isAdmin ? userFull(store, u, { asAdmin: true }) : userBasic(store, u))));
  });

  api.get('/users/:user_id', (req, res) => {
    const viewer = currentUser(res);
    const user = userFrom(intPathParam(req, 'user_id', 'User'));
    res.json(userFull(store, user, { asAdmin: viewer.isAdmin, self: viewer.id === user.id, profile: canReadProfile(viewer, user) }));
  });

  api.put('/users/:user_id', (req, res) => {
    requireAdmin(res);
    const user = userFrom(intPathParam(req, 'user_id', 'User'));
    const p = paramsOf(req);
    const username = str(p, 'username');
    if (username !== undefined && username !== user.username) {
      const taken = store.findUserByUsername(username);
      if (taken && taken.id !== user.id) throw new ApiError(409, { message: 'Username has already been taken' });
      if (!/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/.test(username)) throw new ApiError(400, { message: { username: ['can contain only letters, digits, "_", "-" and "."'] } });
      user.username = username;
    }
    const name = str(p, 'name');
    if (name !== undefined) user.name = name;
    const email = str(p, 'email');
    if (email !== undefined) user.email = email;
    const admin = bool(p, 'admin');
    if (admin !== undefined) user.isAdmin = admin;
    res.json(userFull(store, user, { asAdmin: true }));
  });

  api.get('/users/:user_id/events', (req, res) => {
    const viewer = currentUser(res);
    const user = userFrom(intPathParam(req, 'user_id', 'User'));
    const p = paramsOf(req);
    const action = str(p, 'action');
    const targetType = str(p, 'target_type')?.toLowerCase();
    const before = date(p, 'before');
    const after = date(p, 'after');
    const sort = oneOf(p, 'sort', ['asc', 'desc'] as const) ?? 'desc';
    // EventsFinder answers Event.none for a profile the viewer may not read (`read_user_profile`).
    const readable = canReadProfile(viewer, user);
    // GitLab's `before`/`after` are dates and exclusive.
    const list = store.events
      .filter((e) => {
        if (!readable || e.userId !== user.id) return false;
        const project = e.projectId === null ? undefined : store.getProject(e.projectId);
        if (project && !canRead(ctx, viewer, project)) return false;
        if (action && !e.actionName.startsWith(action)) return false;
        if (targetType && (e.targetType ?? '').toLowerCase() !== targetType) return false;
        if (before && dateOnly(e.createdAt) >= dateOnly(before)) return false;
        if (after && dateOnly(e.createdAt) <= dateOnly(after)) return false;
        return true;
      })
      .sort((a, b) => (sort === 'asc' ? 1 : -1) * (a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id));
    res.json(paginate(req, res, list, ctx.pagination).map((e) => eventJson(store, e)));
  });

  api.get('/users/:user_id/projects', (req, res) => {
    const viewer = currentUser(res);
    checkEndpointLimit(ctx, 'user_projects', viewer);
    const user = userFrom(intPathParam(req, 'user_id', 'User'));
    const list = store.projects.filter((pr) => pr.namespaceId === null && pr.creatorId === user.id && canRead(ctx, viewer, pr));
    const statistics = bool(paramsOf(req), 'statistics') ?? false;
    res.json(paginate(req, res, list, ctx.pagination).map((pr) => (statistics ? withStatistics(store, viewer, pr, projectJson(store, pr)) : projectJson(store, pr))));
  });

  api.get('/users/:user_id/contributed_projects', (req, res) => {
    const viewer = currentUser(res);
    checkEndpointLimit(ctx, 'user_contributed_projects', viewer);
    const user = userFrom(intPathParam(req, 'user_id', 'User'));
    // User#contributed_projects and Event.contributions (app/models/user.rb, app/models/event.rb):
    // pushes and comments, and issues or merge requests created, closed or merged, in the last
    // year; nothing for a profile the viewer may not read (ContributedProjectsFinder).
    const since = store.now().getTime() - 365 * 24 * 3600_000;
    const contributed = new Set<number>();
    if (canReadProfile(viewer, user)) {
      for (const e of store.events) {
        if (e.userId !== user.id || e.projectId === null || e.createdAt.getTime() < since) continue;
        const everywhere = e.actionName.startsWith('pushed') || e.actionName === 'commented on';
        const onIssuable = (e.targetType === 'Issue' || e.targetType === 'MergeRequest') && ['opened', 'closed', 'accepted'].includes(e.actionName);
        if (everywhere || onIssuable) contributed.add(e.projectId);
      }
    }
    const list = store.projects.filter((pr) => contributed.has(pr.id) && canRead(ctx, viewer, pr));
    res.json(paginate(req, res, list, ctx.pagination).map((pr) => projectJson(store, pr)));
  });
}
