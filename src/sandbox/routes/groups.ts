// Groups by id or URL-encoded full path, their direct and inherited members,
// and their projects.

import type { Request, Response, Router } from 'express';
import { canRead, currentUser, pathParam, type SandboxContext } from '../context.js';
import { notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, paramsOf, str } from '../params.js';
import { groupJson, memberJson, projectJson } from '../serialize.js';
import type { GroupRec } from '../types.js';

export function groupRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  const groupFrom = (req: Request, res: Response): GroupRec => {
    const user = currentUser(res);
    const id = pathParam(req, 'id');
    const group = /^\d+$/.test(id) ? store.getGroup(Number(id)) : store.findGroupByPath(id);
    if (!group) throw notFound('Group');
    if (group.visibility === 'private' && !user.isAdmin && !store.groupMembersAll(group.id).some((m) => m.userId === user.id)) throw notFound('Group');
    return group;
  };

  const filterMembers = <T extends { userId: number }>(req: Request, members: T[]): T[] => {
    const query = str(paramsOf(req), 'query')?.toLowerCase();
    if (!query) return members;
    return members.filter((m) => {
      const u = store.getUser(m.userId);
      return !!u && `${u.username}\n${u.name}`.toLowerCase().includes(query);
    });
  };

  api.get('/groups/:id', (req, res) => {
    const group = groupFrom(req, res);
    const user = currentUser(res);
    const projects = store.projects.filter((p) => p.namespaceId === group.id && canRead(ctx, user, p)).map((p) => projectJson(store, p));
    res.json({ ...groupJson(store, group), projects, shared_projects: [] });
  });

  api.get('/groups/:id/members', (req, res) => {
    const group = groupFrom(req, res);
    const direct = store.members.filter((m) => m.sourceType === 'group' && m.sourceId === group.id);
    res.json(paginate(req, res, filterMembers(req, direct), ctx.pagination).map((m) => memberJson(store, m)));
  });

  api.get('/groups/:id/members/all', (req, res) => {
    const group = groupFrom(req, res);
    res.json(paginate(req, res, filterMembers(req, store.groupMembersAll(group.id)), ctx.pagination).map((m) => memberJson(store, m)));
  });

  api.get('/groups/:id/members/all/:user_id', (req, res) => {
    const group = groupFrom(req, res);
    const member = store.groupMembersAll(group.id).find((m) => String(m.userId) === req.params['user_id']);
    if (!member) throw notFound('Member');
    res.json(memberJson(store, member));
  });

  // Every group below this one, at any depth, that the caller may list (doc/api/groups.md,
  // "List descendant groups"; GroupsFinder). `all_available` defaults to false for users and
  // true for administrators: without it a user gets only groups within their membership
  // hierarchy (a group they or an ancestor's membership reach); with it, also every
  // public and internal group.
  api.get('/groups/:id/descendant_groups', (req, res) => {
    const group = groupFrom(req, res);
    const user = currentUser(res);
    const allAvailable = bool(paramsOf(req), 'all_available') ?? user.isAdmin;
    const member = (g: GroupRec): boolean => store.groupMembersAll(g.id).some((m) => m.userId === user.id);
    const listable = (g: GroupRec): boolean => user.isAdmin || member(g) || (allAvailable && g.visibility !== 'private');
    const below = (id: number): GroupRec[] => store.groups.filter((g) => g.parentId === id).flatMap((g) => [g, ...below(g.id)]);
    res.json(paginate(req, res, below(group.id).filter(listable), ctx.pagination).map((g) => groupJson(store, g)));
  });

  api.get('/groups/:id/projects', (req, res) => {
    const group = groupFrom(req, res);
    const user = currentUser(res);
    const list = store.projects.filter((p) => p.namespaceId === group.id && canRead(ctx, user, p));
    res.json(paginate(req, res, list, ctx.pagination).map((p) => projectJson(store, p)));
  });
}
