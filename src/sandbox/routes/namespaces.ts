// Namespaces (GitLab's doc/api/namespaces.md): a namespace by id or URL-encoded path,
// and whether a path is taken. Also the project statistics of doc/api/projects.md,
// shared with /users/:id/projects.

import type { Router } from 'express';
import { currentUser, pathParam, type SandboxContext } from '../context.js';
import { notFound } from '../errors.js';
import { ACCESS, type SandboxStore } from '../store.js';
import { groupNamespaceJson, userNamespaceJson } from '../serialize.js';
import type { ProjectRec, UserRec } from '../types.js';

type Json = Record<string, unknown>;

/** Top-level paths are shared by usernames and groups, compared without case (GitLab's namespace routes). */
function topLevelTaken(store: SandboxStore, path: string): boolean {
  const wanted = path.toLowerCase();
  return store.users.some((u) => u.username.toLowerCase() === wanted) || store.groups.some((g) => g.parentId === null && g.path.toLowerCase() === wanted);
}

/**
 * `statistics=true` (doc/api/projects.md): "Include project statistics. Available only to
 * users with at least the Reporter role" — administrators see them everywhere; anyone
 * else gets the project without the key.
 */
export function withStatistics(store: SandboxStore, viewer: UserRec, project: ProjectRec, json: Json): Json {
  if (!viewer.isAdmin && store.accessLevel(project.id, viewer.id) < ACCESS.reporter) return json;
  const commits = store.commits.get(project.id)?.length ?? 0;
  const repositorySize = commits * 4096;
  return {
    ...json,
    statistics: {
      commit_count: commits,
      storage_size: repositorySize,
      repository_size: repositorySize,
      wiki_size: 0,
      lfs_objects_size: 0,
      job_artifacts_size: 0,
      pipeline_artifacts_size: 0,
      packages_size: 0,
      snippets_size: 0,
      uploads_size: 0,
      container_registry_size: 0,
    },
  };
}

export function namespaceRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  // doc/api/namespaces.md "Get existence of a namespace": any authenticated user; suggests a free path.
  api.get('/namespaces/:id/exists', (req, res) => {
    currentUser(res);
    const path = pathParam(req, 'id');
    const exists = topLevelTaken(store, path);
    const suggests: string[] = [];
    if (exists) {
      let n = 1;
      while (topLevelTaken(store, `${path}${n}`)) n += 1;
      suggests.push(`${path}${n}`);
    }
    res.json({ exists, suggests });
  });

  // doc/api/namespaces.md "Get namespace by ID": administrators see every namespace, others
  // only the ones they belong to (their own, groups they are members of); the rest is 404.
  api.get('/namespaces/:id', (req, res) => {
    const viewer = currentUser(res);
    const id = pathParam(req, 'id');
    const numeric = /^\d+$/.test(id) ? Number(id) : undefined;
    const lower = id.toLowerCase();
    const group = numeric !== undefined ? store.getGroup(numeric) : store.groups.find((g) => g.fullPath.toLowerCase() === lower);
    if (group) {
      if (!viewer.isAdmin && !store.groupMembersAll(group.id).some((m) => m.userId === viewer.id)) throw notFound('Namespace');
      res.json(groupNamespaceJson(store, group));
      return;
    }
    const user = numeric !== undefined ? store.getUser(numeric) : store.users.find((u) => u.username.toLowerCase() === lower);
    if (!user || (!viewer.isAdmin && viewer.id !== user.id)) throw notFound('Namespace');
    res.json(userNamespaceJson(store, user));
  });
}
