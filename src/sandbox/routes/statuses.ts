// Commit statuses (external CI jobs): POST /projects/:id/statuses/:sha and
// GET /projects/:id/repository/commits/:sha/statuses. Like GitLab, re-posting
// a status that is still in the requested non-final state, or `pending` after
// `running`, is a 400 ("Cannot transition status via ..."); posting after a final
// state starts a new job, and so does a post by another user than the job's.
// Without `ref`, GitLab places the status on the ref of the newest pipeline of that
// commit (a status posted before made one) or on a branch holding the commit, and answers
// `404 References for commit Not Found` when there is neither
// (app/services/ci/create_commit_status_service.rb, `#ref` and `#validate`): the head of a
// merge request from a fork is held only by `refs/merge-requests/:iid/head`, no branch.

import type { Router } from 'express';
import { currentUser, isDeveloper, pathParam, projectFrom, requirePublicOrReporter, type SandboxContext } from '../context.js';
import { badRequest, badRequestMessage, forbidden, notFound } from '../errors.js';
import { paginate } from '../pagination.js';
import { bool, int, oneOf, paramsOf, str } from '../params.js';
import { statusJson } from '../serialize.js';
import type { CommitStatusRec } from '../types.js';

const STATES = ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'] as const;
const EVENT: Record<CommitStatusRec['state'], string> = { pending: 'enqueue', running: 'run', success: 'success', failed: 'drop', canceled: 'cancel', skipped: 'skip' };
const FINAL = new Set<CommitStatusRec['state']>(['success', 'failed', 'canceled', 'skipped']);

export function statusRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;

  /** A commit this project holds, and the branch holding it (none for a fork's merge request head). */
  const knownSha = (projectId: number, sha: string): { branch: string | undefined } | undefined => {
    const mr = store.mergeRequests.find((m) => m.projectId === projectId && m.sha === sha);
    if (mr) return { branch: mr.sourceProjectId === projectId ? mr.sourceBranch : undefined };
    const commit = store.commits.get(projectId)?.find((c) => c.id === sha);
    return commit ? { branch: commit.branch } : undefined;
  };
  const newestPipelineRef = (projectId: number, sha: string): string | undefined =>
    [...store.statuses].reverse().find((s) => s.projectId === projectId && s.sha === sha)?.ref ?? undefined;

  api.post('/projects/:id/statuses/:sha', (req, res) => {
    const project = projectFrom(ctx, req, res);
    const user = currentUser(res);
    if (!isDeveloper(ctx, user, project)) throw forbidden();
    const sha = pathParam(req, 'sha');
    const p = paramsOf(req);
    const state = oneOf(p, 'state', STATES);
    if (!state) throw badRequest('state is missing');
    const known = knownSha(project.id, sha);
    if (!known) throw notFound('Commit');
    const name = str(p, 'name') ?? str(p, 'context') ?? 'default';
    const ref = str(p, 'ref') ?? newestPipelineRef(project.id, sha) ?? known.branch;
    if (!ref) throw notFound('References for commit');
    const now = store.now();
    // `GenericCommitStatus.running_or_pending.find_or_initialize_by(…, user: current_user)`: only
    // the caller's own pending or running job is reused; anyone else's post starts a new one.
    const existing = [...store.statuses].reverse().find((s) => s.projectId === project.id && s.sha === sha && s.name === name && s.ref === ref && s.authorId === user.id);
    let status = existing && !FINAL.has(existing.state) ? existing : undefined;
    // The state machine (app/models/commit_status.rb): `enqueue` leaves only created states and
    // `run` only pending, so pending after pending or running, and running after running, are refused.
    if (status && (status.state === state || (state === 'pending' && status.state === 'running'))) {
      throw badRequestMessage(`Cannot transition status via :${EVENT[state]} from :${status.state} (Reason(s): Status cannot transition via "${EVENT[state]}")`);
    }
    if (!status) {
      status = {
        id: store.nextId('status'),
        projectId: project.id,
        sha,
        ref,
        name,
        state,
        description: null,
        targetUrl: null,
        coverage: null,
        authorId: user.id,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
      };
      store.statuses.push(status);
    }
    status.state = state;
    status.description = str(p, 'description') ?? status.description;
    status.targetUrl = str(p, 'target_url') ?? status.targetUrl;
    const coverage = int(p, 'coverage');
    if (coverage !== undefined) status.coverage = coverage;
    if (state === 'running' && !status.startedAt) status.startedAt = now;
    if (FINAL.has(state)) status.finishedAt = now;
    res.status(201).json(statusJson(store, status));
  });

  api.get('/projects/:id/repository/commits/:sha/statuses', (req, res) => {
    const project = requirePublicOrReporter(ctx, req, res);
    const sha = pathParam(req, 'sha');
    // lib/api/commit_statuses.rb: `not_found!('Commit') unless user_project.commit(params[:sha])`.
    if (!knownSha(project.id, sha)) throw notFound('Commit');
    const p = paramsOf(req);
    const ref = str(p, 'ref');
    const name = str(p, 'name');
    const all = bool(p, 'all') ?? false;
    let list = store.statuses.filter((s) => s.projectId === project.id && s.sha === sha && (!ref || s.ref === ref) && (!name || s.name === name));
    if (!all) {
      const latest = new Map<string, CommitStatusRec>();
      for (const s of list) latest.set(`${s.name}\u0000${s.ref ?? ''}`, s);
      list = [...latest.values()];
    }
    res.json(paginate(req, res, list, ctx.pagination).map((s) => statusJson(store, s)));
  });
}
