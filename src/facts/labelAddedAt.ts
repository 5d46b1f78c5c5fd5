import { collect } from '../gitlab/collect.js';
import type { LabelEvent, NoteableRef } from '../gitlab/types.js';
import { subjectItem } from '../subjects.js';
import { defineFact } from './define.js';

/** When each label of an issue or merge request was added. */
export interface LabelAddedAt {
  /**
   * The times `label` was added, oldest first: its `add` label events, else (a label set
   * when the item was created, on a GitLab that records no event for it) the item's creation.
   */
  times(label: string): Date[];
  /** The last time `label` was added, up to `until` when given; undefined when only later adds exist. */
  last(label: string, until?: Date): Date | undefined;
}

/** Reads one item's resource label events as `LabelAddedAt`. */
export function labelAddedAt(events: readonly LabelEvent[], createdAt: Date): LabelAddedAt {
  const times = (label: string) => {
    const added = events
      .filter((e) => e.action === 'add' && e.label === label)
      .map((e) => e.createdAt)
      .sort((a, b) => a.getTime() - b.getTime());
    return added.length > 0 ? added : [createdAt];
  };
  return {
    times,
    last: (label, until) =>
      times(label)
        .filter((at) => until === undefined || at <= until)
        .at(-1),
  };
}

/**
 * When the labels of an issue or merge request were added (`resource_label_events`): the
 * one reading of it, for the board's held-back issues, the review's topics and the issues
 * waiting on their author. One list per item and run.
 */
export const labelAddedAtFact = defineFact({
  description: 'when each label of an issue or merge request was added (its resource label events)',
  scope: 'subject',
  stage: 2,
  param: (subject) => {
    const item = subjectItem(subject);
    return { ref: { projectId: subject.project.id, kind: subject.kind, iid: item.iid } satisfies NoteableRef, createdAt: item.createdAt };
  },
  key: ({ ref }) => `${ref.projectId}:${ref.kind}:${ref.iid}`,
  load: async ({ ref, createdAt }, { gateway }): Promise<LabelAddedAt> => labelAddedAt(await collect(gateway.listLabelEvents(ref)), createdAt),
});
