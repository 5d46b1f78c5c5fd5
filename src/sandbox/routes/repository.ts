// Repository files, tree, branches and commits (used for template sync): GET files
// (base64 JSON and /raw), GET tree, GET/POST branches (doc/api/branches.md), GET/POST
// commits with create/update/delete actions and `start_branch`. Like GitLab, a `create` on an existing file or an `update`/`delete`
// of a missing one fails the whole commit with 400 and changes nothing.

import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { currentUser, isDeveloper, pathParam, projectFrom, requirePublicOrReporter, type SandboxContext } from '../context.js';
import { badRequest, badRequestMessage, forbidden, notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, date, paramsOf, requiredStr, str } from '../params.js';
import { commitJson } from '../serialize.js';
import { refreshMergeRequests } from '../mergeRequestRefresh.js';
import type { ProjectRec, UserRec } from '../types.js';

interface CommitAction {
  action: 'create' | 'update' | 'delete' | 'move' | 'chmod';
  file_path: string;
  previous_path?: string;
  content?: string;
  encoding?: 'text' | 'base64';
}

export function repositoryRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  const refOf = (project: ProjectRec, p: Record<string, unknown>, required: boolean): string => {
    const ref = str(p, 'ref');
    if (!ref && required) throw badRequest('ref is missing');
    return ref ?? project.defaultBranch;
  };

  const lastCommitFor = (projectId: number, ref: string): string => {
    const commits = store.commits.get(projectId) ?? [];
    const c = [...commits].reverse().find((x) => x.branch === ref || x.id === ref);
    return c?.id ?? '0000000000000000000000000000000000000000';
  };

  // Express decodes `%2F` in :file_path, so nested paths arrive whole.
  api.get('/projects/:id/repository/files/:file_path/raw', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const ref = refOf(project, paramsOf(req), false);
    const content = store.getFile(project.id, ref, pathParam(req, 'file_path'));
    if (content === undefined) throw notFound('File');
    res.type('text/plain').send(content);
  });

  api.get('/projects/:id/repository/files/:file_path', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const ref = refOf(project, paramsOf(req), true);
    const filePath = pathParam(req, 'file_path');
    const content = store.getFile(project.id, ref, filePath);
    if (content === undefined) throw notFound('File');
    const buf = Buffer.from(content, 'utf8');
    const commit = lastCommitFor(project.id, ref);
    res.json({
      file_name: filePath.split('/').pop(),
      file_path: filePath,
      size: buf.length,
      encoding: 'base64',
      content_sha256: createHash('sha256').update(buf).digest('hex'),
      ref,
      blob_id: createHash('sha1').update(`blob ${buf.length}\0`).update(buf).digest('hex'),
      commit_id: commit,
      last_commit_id: commit,
      execute_filemode: false,
      content: buf.toString('base64'),
    });
  });

  api.get('/projects/:id/repository/tree', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const p = paramsOf(req);
    const ref = refOf(project, p, false);
    const files = store.resolveRefFiles(project.id, ref);
    if (!files) throw notFound('Tree');
    const dir = (str(p, 'path') ?? '').replace(/^\/+|\/+$/g, '');
    const recursive = bool(p, 'recursive') ?? false;
    const prefix = dir ? `${dir}/` : '';
    const entries = new Map<string, { type: 'tree' | 'blob'; path: string }>();
    for (const path of [...files.keys()].sort()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length).split('/');
      if (recursive) {
        for (let i = 1; i < rest.length; i++) {
          const sub = prefix + rest.slice(0, i).join('/');
          entries.set(sub, { type: 'tree', path: sub });
        }
        entries.set(path, { type: 'blob', path });
      } else {
        const head = prefix + (rest[0] ?? '');
        entries.set(head, { type: rest.length > 1 ? 'tree' : 'blob', path: head });
      }
    }
    const list = [...entries.values()].sort((a, b) => (a.type === b.type ? a.path.localeCompare(b.path) : a.type === 'tree' ? -1 : 1));
    res.json(
      paginate(req, res, list, ctx.pagination).map((e) => ({
        id: createHash('sha1').update(`${ref}:${e.path}`).digest('hex'),
        name: e.path.split('/').pop(),
        type: e.type,
        path: e.path,
        mode: e.type === 'tree' ? '040000' : '100644',
      })),
    );
  });

  const branchJson = (project: ProjectRec, name: string, user: UserRec) => {
    const head = [...(store.commits.get(project.id) ?? [])].reverse().find((c) => c.branch === name);
    return {
      name,
      merged: false,
      protected: name === project.defaultBranch,
      default: name === project.defaultBranch,
      developers_can_push: false,
      developers_can_merge: false,
      can_push: isDeveloper(ctx, user, project),
      web_url: `${store.baseUrl}/${project.pathWithNamespace}/-/tree/${name}`,
      commit: head ? commitJson(store, project, head) : null,
    };
  };

  // lib/api/branches.rb: `GET …/branches/:branch` is 404 "Branch Not Found" for a missing one.
  api.get('/projects/:id/repository/branches/:branch', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const name = pathParam(req, 'branch');
    if (!store.branchFiles(project.id, name)) throw notFound('Branch');
    res.json(branchJson(project, name, currentUser(res)));
  });

  // `POST …/branches` (push_code: Developer): 400 "Branch already exists", 400 "Invalid reference name: <ref>".
  api.post('/projects/:id/repository/branches', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    if (!isDeveloper(ctx, user, project)) throw forbidden();
    const p = paramsOf(req);
    const name = requiredStr(p, 'branch');
    const ref = requiredStr(p, 'ref');
    if (store.branchFiles(project.id, name)) throw badRequestMessage('Branch already exists');
    const start = store.resolveRefFiles(project.id, ref);
    if (!start) throw badRequestMessage(`Invalid reference name: ${ref}`);
    store.files.get(project.id)!.set(name, new Map(start));
    res.status(201).json(branchJson(project, name, user));
  });

  api.get('/projects/:id/repository/commits', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const p = paramsOf(req);
    const refName = str(p, 'ref_name');
    const since = date(p, 'since');
    const until = date(p, 'until');
    const commits = [...(store.commits.get(project.id) ?? [])]
      .reverse()
      .filter((c) => (!refName || c.branch === refName) && (!since || c.createdAt >= since) && (!until || c.createdAt <= until));
    res.json(paginate(req, res, commits, ctx.pagination).map((c) => commitJson(store, project, c)));
  });

  api.get('/projects/:id/repository/commits/:sha', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const sha = pathParam(req, 'sha');
    const commits = store.commits.get(project.id) ?? [];
    const commit = [...commits].reverse().find((c) => c.id === sha || c.shortId === sha || c.branch === sha);
    if (!commit) throw notFound('Commit');
    res.json(commitJson(store, project, commit));
  });

  api.post('/projects/:id/repository/commits', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    if (!isDeveloper(ctx, user, project)) throw forbidden();
    const p = paramsOf(req);
    const branch = requiredStr(p, 'branch');
    const message = requiredStr(p, 'commit_message');
    const actions = readActions(p['actions']);
    const startBranch = str(p, 'start_branch');

    let files = store.branchFiles(project.id, branch);
    if (!files) {
      const start = startBranch ? store.branchFiles(project.id, startBranch) : (store.commits.get(project.id)?.length ?? 0) === 0 ? new Map<string, string>() : undefined;
      if (!start) throw badRequestMessage('You can only create or edit files when you are on a branch');
      files = new Map(start);
    }
    // Validate and apply on a copy so a failing action changes nothing.
    const next = new Map(files);
    for (const a of actions) {
      const exists = next.has(a.file_path);
      const content = a.encoding === 'base64' ? Buffer.from(a.content ?? '', 'base64').toString('utf8') : (a.content ?? '');
      switch (a.action) {
        case 'create':
          if (exists) throw badRequestMessage('A file with this name already exists');
          next.set(a.file_path, content);
          break;
        case 'update':
          if (!exists) throw badRequestMessage("A file with this name doesn't exist");
          next.set(a.file_path, content);
          break;
        case 'delete':
          if (!exists) throw badRequestMessage("A file with this name doesn't exist");
          next.delete(a.file_path);
          break;
        case 'move': {
          const from = a.previous_path ?? '';
          if (!next.has(from)) throw badRequestMessage("A file with this name doesn't exist");
          if (exists) throw badRequestMessage('A file with this name already exists');
          next.set(a.file_path, a.content === undefined ? (next.get(from) ?? '') : content);
          next.delete(from);
          break;
        }
        case 'chmod':
          if (!exists) throw badRequestMessage("A file with this name doesn't exist");
          break;
      }
    }
    const branches = store.files.get(project.id) ?? new Map<string, Map<string, string>>();
    store.files.set(project.id, branches);
    branches.set(branch, next);
    const commit = store.addCommit(project.id, { branch, message, authorId: user.id });
    refreshMergeRequests(ctx, res, project.id, branch, user);
    project.lastActivityAt = store.now();
    store.addEvent(user.id, { projectId: project.id, actionName: 'pushed to', targetType: null, targetTitle: null });
    res.status(201).json({ ...commitJson(store, project, commit), stats: { additions: 0, deletions: 0, total: 0 }, status: null, project_id: project.id });
  });
}

function readActions(raw: unknown): CommitAction[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? Object.values(raw) : undefined;
  if (!list || list.length === 0) throw badRequest('actions is missing');
  return list.map((a, i) => {
    const o = (a ?? {}) as Record<string, unknown>;
    const action = o['action'];
    if (!['create', 'update', 'delete', 'move', 'chmod'].includes(String(action))) throw badRequest(`actions[${i}][action] does not have a valid value`);
    if (typeof o['file_path'] !== 'string' || o['file_path'] === '') throw badRequest(`actions[${i}][file_path] is missing`);
    const encoding = o['encoding'] === undefined ? 'text' : o['encoding'];
    if (encoding !== 'text' && encoding !== 'base64') throw badRequest(`actions[${i}][encoding] does not have a valid value`);
    return {
      action: action as CommitAction['action'],
      file_path: String(o['file_path']).replace(/^\/+/, ''),
      ...(typeof o['previous_path'] === 'string' ? { previous_path: o['previous_path'].replace(/^\/+/, '') } : {}),
      ...(o['content'] !== undefined ? { content: String(o['content']) } : {}),
      encoding,
    };
  });
}
