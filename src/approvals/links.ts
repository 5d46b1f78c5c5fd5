import picomatch from 'picomatch';
import { escapeRegExp } from '../text/regexp.js';

/** A link to a comment on an issue or merge request of this GitLab instance. */
export interface NoteLink {
  url: string;
  projectPath: string;
  kind: 'issue' | 'merge_request';
  iid: number;
  noteId: number;
}

export interface FoundLinks {
  /** Comment links on this instance: the bot reads them through the API. */
  notes: NoteLink[];
  /** Comment links on another host: never requested. */
  otherHosts: string[];
  /** Links matching `approvals.externalLinks` (chat permalinks). */
  external: string[];
}

/** At most this many links are followed per merge request, so a description full of links costs a bounded number of requests. */
export const MAX_NOTE_LINKS = 10;

const URL_PATTERN = /https?:\/\/[^\s<>()[\]"'`]+/g;
/**
 * A comment's page: an issue (also as a work item, GitLab's newer issue view and tasks) or a
 * merge request, its Changes tab included (`/diffs#note_…`, a comment on a line).
 */
const NOTE_PATH = /^\/(.+?)\/-\/(issues|work_items|merge_requests)\/(\d+)(?:\/diffs)?\/?$/;

/** Finds the links that may carry an approval in the texts, classified by where they point. */
export function findApprovalLinks(texts: readonly string[], instanceUrl: string, externalGlobs: readonly string[]): FoundLinks {
  const instance = new URL(instanceUrl);
  const isExternal = externalGlobs.length > 0 ? picomatch([...externalGlobs]) : () => false;
  const found: FoundLinks = { notes: [], otherHosts: [], external: [] };
  const seen = new Set<string>();
  for (const text of texts) {
    for (const [raw] of text.matchAll(URL_PATTERN)) {
      const href = raw.replace(/[.,;:!?]+$/, '');
      if (seen.has(href)) continue;
      seen.add(href);
      let url: URL;
      try {
        url = new URL(href);
      } catch {
        continue;
      }
      const note = /^#note_(\d+)$/.exec(url.hash);
      const path = NOTE_PATH.exec(url.pathname.slice(instance.pathname.replace(/\/$/, '').length));
      if (note && path) {
        if (url.host !== instance.host) found.otherHosts.push(href);
        else if (found.notes.length < MAX_NOTE_LINKS) {
          found.notes.push({
            url: href,
            projectPath: decodeURIComponent(path[1]!),
            kind: path[2] === 'merge_requests' ? 'merge_request' : 'issue',
            iid: Number(path[3]),
            noteId: Number(note[1]),
          });
        }
      } else if (isExternal(href)) {
        found.external.push(href);
      }
    }
  }
  return found;
}

/** Where a linked comment sits, as the bot read it. */
export interface LinkedPlace {
  projectId: number;
  projectVisibility: 'public' | 'internal' | 'private';
  /** The linked issue is confidential (false for a merge request). */
  confidential: boolean;
}

/** The merge request a linked comment must be about, and who reads it. */
export interface LinkTarget {
  projectId: number;
  projectPath: string;
  projectVisibility: 'public' | 'internal' | 'private';
  iid: number;
  webUrl: string;
}

const VISIBILITY_RANK = { private: 0, internal: 1, public: 2 } as const;

/**
 * Whether everyone who reads the merge request can read the linked comment: not an internal
 * note, not on a confidential issue, not on another merge request, and in this project or one
 * at least as visible (another private project has other members).
 */
export function readersCanSee(link: NoteLink, note: { internal: boolean }, place: LinkedPlace, target: LinkTarget): boolean {
  if (note.internal || place.confidential) return false;
  if (link.kind === 'merge_request' && !(place.projectId === target.projectId && link.iid === target.iid)) return false;
  if (place.projectId === target.projectId) return true;
  return place.projectVisibility !== 'private' && VISIBILITY_RANK[place.projectVisibility] >= VISIBILITY_RANK[target.projectVisibility];
}

/**
 * Whether a linked comment is about this merge request: it names it by URL or by reference
 * (`group/project!12`, or `!12` in a comment of the same project), not `!123`.
 */
export function namesMergeRequest(body: string, place: LinkedPlace, target: LinkTarget): boolean {
  const names = [escapeRegExp(target.webUrl), `${escapeRegExp(target.projectPath)}!${target.iid}`];
  if (place.projectId === target.projectId) names.push(`(?<![\\w/!])!${target.iid}`);
  return new RegExp(`(?:${names.join('|')})(?!\\d)`, 'i').test(body);
}
