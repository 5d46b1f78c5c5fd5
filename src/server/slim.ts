import type { BotEvent } from '../events/types.js';

type Label = { id?: number; title: string };
const labels = (list: readonly Label[] | null | undefined) => list?.map((l) => ({ id: l.id, title: l.title }));

/**
 * What the queue keeps of an event until it is worked on: ids, the actor, the names of
 * the changed fields, the label change, the project's visibility, and a note's body (for
 * secret scanning). Not the descriptions, which GitLab sends up to 1 MiB each, twice in an
 * update: the bot re-reads the issue from the API before planning anyway.
 * A queued event costs about a kilobyte plus its note body (`tests/server/intakeMemory.test.ts`).
 */
export function slimEvent(event: BotEvent): BotEvent {
  const { user, project } = event.payload;
  const common = {
    object_kind: event.payload.object_kind,
    user: { id: user.id, username: user.username, name: user.name },
    project: { id: project.id, path_with_namespace: project.path_with_namespace, web_url: project.web_url, visibility_level: project.visibility_level },
  };
  switch (event.kind) {
    case 'issue': {
      const { object_attributes: a, changes, event_type } = event.payload;
      return {
        ...event,
        payload: {
          ...common,
          object_kind: event.payload.object_kind,
          event_type,
          object_attributes: { id: a.id, iid: a.iid, title: a.title, state: a.state, action: a.action, confidential: a.confidential, author_id: a.author_id, type: a.type },
          changes: changes?.labels ? { labels: { previous: labels(changes.labels.previous), current: labels(changes.labels.current) } } : changes ? {} : undefined,
        },
      };
    }
    case 'note': {
      const { object_attributes: a, issue, merge_request, event_type } = event.payload;
      return {
        ...event,
        payload: {
          ...common,
          object_kind: 'note',
          event_type,
          object_attributes: { id: a.id, note: a.note, noteable_type: a.noteable_type, author_id: a.author_id, system: a.system, action: a.action },
          issue: issue ? { id: issue.id, iid: issue.iid } : undefined,
          merge_request: merge_request ? { id: merge_request.id, iid: merge_request.iid } : undefined,
        },
      };
    }
    case 'emoji': {
      const { object_attributes: a, merge_request, event_type } = event.payload;
      return {
        ...event,
        payload: {
          ...common,
          object_kind: 'emoji',
          event_type,
          object_attributes: { id: a.id, name: a.name, awardable_type: a.awardable_type, awardable_id: a.awardable_id, action: a.action },
          merge_request: { id: merge_request.id, iid: merge_request.iid },
        },
      };
    }
    case 'merge_request': {
      const { object_attributes: a, changes } = event.payload;
      return {
        ...event,
        payload: {
          ...common,
          object_kind: 'merge_request',
          object_attributes: {
            id: a.id,
            iid: a.iid,
            title: a.title,
            state: a.state,
            action: a.action,
            target_project_id: a.target_project_id,
            last_commit: a.last_commit ? { id: a.last_commit.id } : undefined,
          },
          changes: changes?.labels ? { labels: { previous: labels(changes.labels.previous), current: labels(changes.labels.current) } } : changes ? {} : undefined,
        },
      };
    }
  }
}
