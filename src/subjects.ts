import type { ProjectConfig } from './config/schema.js';
import type { Issue, MergeRequest } from './gitlab/types.js';

// What a rule runs on: an issue or a merge request of a configured project. Shared by
// rules (which read subjects), facts (loaded for a subject) and the engine.

/** A configured project, resolved against GitLab. */
export interface ProjectScope {
  key: string;
  id: number;
  path: string;
  visibility: 'public' | 'internal' | 'private';
  webUrl: string;
  /** Where the project's own files (its issue templates) are read. */
  defaultBranch: string;
  config: ProjectConfig;
  /** The bot's role there, when GitLab said (`Project.accessLevel`). */
  accessLevel?: number;
}

export interface IssueSubject {
  kind: 'issue';
  project: ProjectScope;
  issue: Issue;
}

export interface MergeRequestSubject {
  kind: 'merge_request';
  project: ProjectScope;
  mergeRequest: MergeRequest;
}

export type Subject = IssueSubject | MergeRequestSubject;
export type SubjectKind = Subject['kind'];
export type SubjectOf<K extends SubjectKind> = Extract<Subject, { kind: K }>;

/** The issue or merge request itself: the fields both kinds share. */
export function subjectItem(subject: Subject): Issue | MergeRequest {
  return subject.kind === 'issue' ? subject.issue : subject.mergeRequest;
}

/** `group/project#12` or `group/project!12`, for logs and reports. */
export function subjectName(subject: Subject): string {
  return `${subject.project.path}${subject.kind === 'issue' ? '#' : '!'}${subjectItem(subject).iid}`;
}
