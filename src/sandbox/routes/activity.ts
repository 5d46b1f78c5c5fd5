// Award emoji and resource label events, for issues and merge requests alike.

import type { Router } from 'express';
import { currentUser, emitHook, intPathParam, issuableFrom, type IssuableKindPath, type SandboxContext } from '../context.js';
import { emojiHook } from '../webhooks/payloads.js';
import { ApiError, notFound, unauthorized } from '../errors.js';
import { paginate } from '../pagination.js';
import { paramsOf, requiredStr } from '../params.js';
import { awardJson, labelBasicJson, userBasic } from '../serialize.js';

const KINDS: { path: IssuableKindPath; iidParam: string }[] = [
  { path: 'issues', iidParam: 'issue_iid' },
  { path: 'merge_requests', iidParam: 'merge_request_iid' },
];

export function activityRoutes(api: Router, ctx: SandboxContext): void {
  const { store } = ctx;
  for (const { path, iidParam } of KINDS) {
    const base = `/projects/:id/${path}/:${iidParam}`;

    api.get(`${base}/award_emoji`, (req, res) => {
      const { issuable } = issuableFrom(ctx, req, res, path);
      res.json(paginate(req, res, store.listAwards(issuable), ctx.pagination).map((a) => awardJson(store, a, issuable.iid)));
    });

    api.post(`${base}/award_emoji`, (req, res) => {
      const { issuable } = issuableFrom(ctx, req, res, path);
      const user = currentUser(res);
      const name = requiredStr(paramsOf(req), 'name');
      // A second reaction of the same name fails AwardEmoji's uniqueness validation, and
      // lib/api/award_emoji.rb answers `not_found!("Award Emoji #{service[:message]}")` with
      // the service's full_messages array interpolated as Ruby prints it.
      if (store.listAwards(issuable).some((a) => a.name === name && a.userId === user.id)) {
        throw new ApiError(404, { message: '404 Award Emoji ["Name has already been taken"] Not Found' });
      }
      const award = store.addAward(issuable, name, user.id);
      emitHook(ctx, res, { projectId: issuable.projectId, event: 'Emoji Hook', body: emojiHook(store, award, issuable, user, 'award') });
      res.status(201).json(awardJson(store, award, issuable.iid));
    });

    api.delete(`${base}/award_emoji/:award_id`, (req, res) => {
      const { issuable } = issuableFrom(ctx, req, res, path);
      const user = currentUser(res);
      const award = store.listAwards(issuable).find((a) => a.id === intPathParam(req, 'award_id', 'Award Emoji'));
      if (!award) throw notFound('Award Emoji');
      // "Only an administrator or the author of the reaction can delete" it; anyone else gets
      // `unauthorized!`, a 401, not a 403 (lib/api/award_emoji.rb).
      if (award.userId !== user.id && !user.isAdmin) throw unauthorized();
      store.awards.splice(store.awards.indexOf(award), 1);
      emitHook(ctx, res, { projectId: issuable.projectId, event: 'Emoji Hook', body: emojiHook(store, award, issuable, user, 'revoke') });
      res.status(204).end();
    });

    api.get(`${base}/resource_label_events`, (req, res) => {
      const { issuable } = issuableFrom(ctx, req, res, path);
      const type = issuable.kind === 'issue' ? 'Issue' : 'MergeRequest';
      const events = store.labelEvents.filter((e) => e.resourceType === type && e.resourceId === issuable.id);
      res.json(
        paginate(req, res, events, ctx.pagination).map((e) => {
          const label = store.labels.find((l) => l.id === e.labelId);
          return {
            id: e.id,
            user: userBasic(store, store.getUser(e.userId)),
            created_at: e.createdAt.toISOString(),
            resource_type: e.resourceType,
            resource_id: e.resourceId,
            label: label ? labelBasicJson(label) : null,
            action: e.action,
          };
        }),
      );
    });
  }
}
