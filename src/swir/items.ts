import type { Issue, MergeRequest } from '../gitlab/types.js';
import type { ProjectScope } from '../subjects.js';

// How the review names an issue or a merge request: a link and a reference, and a title
// and author only where everyone who can read the review may see them.

/** An issue or merge request as the review lists it. */
export interface ItemRef {
  /** `support-team-meta#12`, `handbook!3`. */
  ref: string;
  title: string;
  url: string;
  /** The author's username, written without `@` (the review is edited weekly: a mention would notify each time); null when hidden. */
  author: string | null;
}

const VISIBILITY_RANK = { private: 0, internal: 1, public: 2 } as const;

/** How widely a project is seen: GitLab's visibility, or public when the config says so. */
function visibilityOf(scope: ProjectScope): ProjectScope['visibility'] {
  return scope.config.public ? 'public' : scope.visibility;
}

/**
 * Nothing but the link goes into the review (an issue in `swir.project`, public by default)
 * of a confidential issue, or of an item of a project fewer people may see than the
 * review's (internal-requests is private: its titles name customers and users): no title,
 * no author. The link still works for those who may open it.
 */
export function itemRef(scope: ProjectScope, kind: 'issue' | 'merge_request', item: Issue | MergeRequest, review: ProjectScope): ItemRef {
  const noun = kind === 'issue' ? 'issue' : 'merge request';
  const visibility = visibilityOf(scope);
  const hidden =
    kind === 'issue' && (item as Issue).confidential
      ? '(confidential issue)'
      : VISIBILITY_RANK[visibility] < VISIBILITY_RANK[visibilityOf(review)]
        ? `(${noun} in a${visibility === 'internal' ? 'n internal' : ' private'} project)`
        : null;
  const name = scope.path.split('/').pop() ?? scope.path;
  return {
    ref: `${name}${kind === 'issue' ? '#' : '!'}${item.iid}`,
    title: hidden ?? item.title,
    url: item.webUrl,
    author: hidden ? null : item.author.username,
  };
}

const DAY_MS = 24 * 3600 * 1000;

/** Whole days from one instant to another, as the review writes an age: "less than a day", "1 day", "12 days". */
export function ageText(from: Date, to: Date): string {
  const days = Math.floor((to.getTime() - from.getTime()) / DAY_MS);
  return days < 1 ? 'less than a day' : days === 1 ? '1 day' : `${days} days`;
}
