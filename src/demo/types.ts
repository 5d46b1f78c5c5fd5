import type { Stack } from './stack.js';

export interface IssueInput {
  title: string;
  description?: string;
  labels?: string[];
  confidential?: boolean;
  /** GitLab's work item type (doc/api/issues.md): `issue` when left out. */
  issue_type?: 'issue' | 'incident' | 'test_case' | 'task';
}

export interface IssueEdit {
  title?: string;
  description?: string;
  add_labels?: string[];
  remove_labels?: string[];
  state_event?: 'close' | 'reopen';
  confidential?: boolean;
}

/** What a demo scenario can do: act as team members through the sandbox's API (so real webhooks flow) and narrate. */
export interface DemoContext {
  stack: Stack;
  /** Full path of a configured project, by its config key (e.g. "internal-requests"). */
  projectPath(projectKey: string): string;
  openIssue(username: string, projectKey: string, input: IssueInput): Promise<number>;
  editIssue(username: string, projectKey: string, iid: number, edit: IssueEdit): Promise<void>;
  comment(username: string, projectKey: string, iid: number, body: string): Promise<void>;
  /** Waits until the bot has handled every webhook, including those its own writes caused. */
  settle(): Promise<void>;
  /** Prints an issue's labels, confidentiality and the bot's notes into the transcript. */
  show(projectKey: string, iid: number): void;
  say(line: string): void;
  /** Runs a scheduled job (`support-bot run <job>`) against the sandbox and prints its output. */
  runJob(job: string): Promise<string>;
  /** Where reports are written. */
  outDir: string;
  /** Commits files to a branch (created from the default branch when new), as a `git push` would. */
  pushFiles(username: string, projectKey: string, branch: string, files: Record<string, string>, message: string): Promise<void>;
  openMergeRequest(username: string, projectKey: string, input: { sourceBranch: string; title: string; description?: string }): Promise<number>;
  approveMergeRequest(username: string, projectKey: string, iid: number): Promise<void>;
  /** An emoji reaction on the merge request (`thumbsup`), as its author would give it in the UI. */
  awardMergeRequest(username: string, projectKey: string, iid: number, name: string): Promise<void>;
  commentOnMergeRequest(username: string, projectKey: string, iid: number, body: string): Promise<void>;
  /** Prints a merge request's labels, its head commit's statuses and the bot's notes into the transcript. */
  showMergeRequest(projectKey: string, iid: number): void;
}

export interface DemoScenario {
  title: string;
  run(ctx: DemoContext): Promise<void>;
}
