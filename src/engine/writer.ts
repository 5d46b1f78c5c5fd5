import type {
  AwardEmoji,
  Label,
  LabelInput,
  MergeRequest,
  MergeRequestInput,
  MergeRequestUpdate,
  CommitAction,
  CommitStatusInput,
  Issue,
  IssueUpdate,
  Note,
  NoteableRef,
  PipelineSchedule,
  PipelineScheduleInput,
  UserDetails,
} from '../gitlab/types.js';
import { DryRunRecord, type GitLabPort, type RecordedWrite } from './ports.js';

export type { RecordedWrite } from './ports.js';

/** Every write the bot can make: the GitLab port, real (the gateway) or this dry-run twin. */
export type Writer = GitLabPort;

/**
 * The dry-run writer, chosen once at start-up: it records what would be sent and
 * sends nothing. Reads still go to GitLab, so the plan is the real one.
 */
export class DryRunWriter implements Writer {
  private nextId = -1;

  /** `recorded` is shared with the other ports' recording twins, so a dry run lists every write in order. */
  constructor(readonly recorded: DryRunRecord = new DryRunRecord()) {}

  /** Everything the run's recording twins recorded, this writer's and other ports' alike. */
  get writes(): readonly RecordedWrite[] {
    return this.recorded.writes;
  }

  private record(method: keyof Writer, target: string, detail: Record<string, unknown>): void {
    this.recorded.add('gitlab', method, target, detail);
  }

  async updateIssue(projectId: number, iid: number, update: IssueUpdate): Promise<Issue> {
    this.record('updateIssue', `project ${projectId} issue #${iid}`, { ...update });
    return fakeIssue(this.nextId--, projectId, iid, update.title ?? '');
  }

  async createIssue(projectId: number, input: { title: string; description?: string; labels?: string[] }): Promise<Issue> {
    this.record('createIssue', `project ${projectId}`, { ...input });
    return fakeIssue(this.nextId--, projectId, 0, input.title);
  }

  async createNote(ref: NoteableRef, body: string): Promise<Note> {
    this.record('createNote', describeRef(ref), { body });
    return fakeNote(this.nextId--, body);
  }

  async updateNote(ref: NoteableRef, noteId: number, body: string): Promise<Note> {
    this.record('updateNote', `${describeRef(ref)} note ${noteId}`, { body });
    return fakeNote(noteId, body);
  }

  async updateMergeRequest(projectId: number, iid: number, update: MergeRequestUpdate): Promise<MergeRequest> {
    this.record('updateMergeRequest', `project ${projectId} merge request !${iid}`, { ...update });
    return fakeMergeRequest(this.nextId--, projectId, iid, {});
  }

  async awardEmoji(ref: NoteableRef, name: string): Promise<AwardEmoji> {
    this.record('awardEmoji', describeRef(ref), { name });
    return { id: this.nextId--, name, user: { id: 0, username: '(dry-run)' } };
  }

  async removeAwardEmoji(ref: NoteableRef, awardId: number): Promise<void> {
    this.record('removeAwardEmoji', `${describeRef(ref)} award ${awardId}`, {});
  }

  async deleteNote(ref: NoteableRef, noteId: number): Promise<void> {
    this.record('deleteNote', `${describeRef(ref)} note ${noteId}`, {});
  }

  async setCommitStatus(projectId: number, status: CommitStatusInput): Promise<void> {
    this.record('setCommitStatus', `project ${projectId} commit ${status.sha.slice(0, 8)}`, { ...status });
  }

  async renameUser(userId: number, username: string): Promise<UserDetails> {
    this.record('renameUser', `user ${userId}`, { username });
    return { id: userId, username, state: 'active' };
  }

  async createPipelineSchedule(projectId: number, input: PipelineScheduleInput): Promise<PipelineSchedule> {
    this.record('createPipelineSchedule', `project ${projectId}`, { ...input });
    return { id: this.nextId--, ...input };
  }

  async updatePipelineSchedule(projectId: number, scheduleId: number, input: Partial<PipelineScheduleInput>): Promise<PipelineSchedule> {
    this.record('updatePipelineSchedule', `project ${projectId} schedule ${scheduleId}`, { ...input });
    return { id: scheduleId, description: '', ref: '', cron: '', cronTimezone: 'UTC', active: true, ...input };
  }

  async setPipelineScheduleVariable(projectId: number, scheduleId: number, key: string, value: string): Promise<void> {
    this.record('setPipelineScheduleVariable', `project ${projectId} schedule ${scheduleId}`, { key, value });
  }

  async takePipelineScheduleOwnership(projectId: number, scheduleId: number): Promise<PipelineSchedule> {
    this.record('takePipelineScheduleOwnership', `project ${projectId} schedule ${scheduleId}`, {});
    return { id: scheduleId, description: '', ref: '', cron: '', cronTimezone: 'UTC', active: true };
  }

  async deletePipelineSchedule(projectId: number, scheduleId: number): Promise<void> {
    this.record('deletePipelineSchedule', `project ${projectId} schedule ${scheduleId}`, {});
  }

  async commitFiles(projectId: number, branch: string, message: string, actions: CommitAction[], startBranch?: string): Promise<void> {
    const from = startBranch ? { startBranch } : {};
    this.record('commitFiles', `project ${projectId} branch ${branch}`, { message, ...from, files: actions.map((a) => `${a.action} ${a.filePath}`) });
  }

  async createLabel(projectId: number, input: LabelInput): Promise<Label> {
    this.record('createLabel', `project ${projectId}`, { ...input });
    return { ...input, projectLabel: true };
  }

  async updateLabel(projectId: number, name: string, change: { color?: string; description?: string }): Promise<Label> {
    this.record('updateLabel', `project ${projectId} label ${JSON.stringify(name)}`, { ...change });
    return { name, color: change.color ?? '', description: change.description ?? null, projectLabel: true };
  }

  async createMergeRequest(projectId: number, input: MergeRequestInput): Promise<MergeRequest> {
    this.record('createMergeRequest', `project ${projectId}`, { ...input });
    return fakeMergeRequest(this.nextId--, projectId, 0, input);
  }
}

export function describeRef(ref: NoteableRef): string {
  return `project ${ref.projectId} ${ref.kind === 'issue' ? 'issue #' : 'merge request !'}${ref.iid}`;
}

function fakeIssue(id: number, projectId: number, iid: number, title: string): Issue {
  const now = new Date(0);
  return {
    id,
    iid,
    projectId,
    title,
    description: '',
    state: 'opened',
    labels: [],
    confidential: false,
    author: { id: 0, username: '(dry-run)' },
    assignees: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    webUrl: '',
    userNotesCount: 0,
    issueType: 'issue',
  };
}

function fakeMergeRequest(id: number, projectId: number, iid: number, input: Partial<MergeRequestInput>): MergeRequest {
  const epoch = new Date(0);
  return {
    id,
    iid,
    projectId,
    title: input.title ?? '',
    description: input.description ?? '',
    state: 'opened',
    labels: [],
    author: { id: 0, username: '(dry-run)' },
    sourceBranch: input.sourceBranch ?? '',
    targetBranch: input.targetBranch ?? '',
    sha: '',
    draft: false,
    createdAt: epoch,
    updatedAt: epoch,
    webUrl: '',
  };
}

function fakeNote(id: number, body: string): Note {
  const now = new Date(0);
  return { id, body, author: { id: 0, username: '(dry-run)' }, system: false, internal: false, createdAt: now, updatedAt: now };
}
