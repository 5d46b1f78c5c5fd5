import type { CommitAction, LabelInput, MergeRequestInput, PipelineScheduleInput } from '../gitlab/types.js';

// Project actions are data too: writes that belong to a project rather than to one of its
// issues or merge requests, planned by the sync commands (`labels sync`, `templates sync`,
// `schedules sync`) from a diff of the configuration against GitLab's state they just read.
// The executor dispatches them through the same handler map as the rules' actions
// (`engine/handlers/index.ts`), so dry run, write budget and outcomes are the same.

export type ProjectAction =
  /** A label the configuration uses and the project lacks. */
  | { type: 'createLabel'; projectId: number; label: LabelInput }
  /** A project label whose colour or description differs from its spec. */
  | { type: 'updateLabel'; projectId: number; name: string; change: { color?: string; description?: string } }
  /** One commit of `files` to `branch`, created from `startBranch` when it does not exist yet. */
  | { type: 'commitFiles'; projectId: number; branch: string; startBranch?: string; message: string; files: CommitAction[] }
  /** A merge request from `request.sourceBranch`; GitLab's 409 (one is already open) means another run opened it. */
  | { type: 'openMergeRequest'; projectId: number; request: MergeRequestInput }
  /** Only a schedule's owner may change it; a Maintainer may take it over. */
  | { type: 'takeScheduleOwnership'; projectId: number; scheduleId: number }
  /** A pipeline schedule for `job`: created inactive, then SUPPORT_BOT_JOB set, then activated. */
  | { type: 'createSchedule'; projectId: number; job: string; input: PipelineScheduleInput }
  /** A schedule of `job` brought to its config: SUPPORT_BOT_JOB first (`setVariable`), then `fields`. */
  | {
      type: 'updateSchedule';
      projectId: number;
      scheduleId: number;
      job: string;
      fields: Partial<PipelineScheduleInput>;
      setVariable: 'create' | 'update' | null;
      /** Whether the schedule is active now: one that may not get its variable is deactivated. */
      active: boolean;
    };

export type ProjectActionType = ProjectAction['type'];
