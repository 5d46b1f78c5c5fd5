import type { IssueUpdate } from '../../gitlab/types.js';
import { subjectItem } from '../../subjects.js';
import { diffLabels } from '../labels.js';
import type { ActionOf, DiffedHandler, HandlerContext, Planned } from './types.js';

/** The actions that change an issue's or merge request's own fields. */
export type FieldAction = ActionOf<'addLabels' | 'removeLabels' | 'setConfidential' | 'setDescription' | 'setTitle' | 'setState'>;

/**
 * Folds every field action of a subject into one update, diffed against the subject as read:
 * one PUT (issue or merge request), checked against GitLab's answer, or nothing when nothing differs.
 */
async function applyFields(ctx: HandlerContext, planned: Planned<FieldAction>[]) {
  const { subject } = ctx;
  const item = subjectItem(subject);
  const update = fieldUpdate(ctx, planned);
  if (!update) return [];
  const where = `${subject.kind === 'issue' ? 'issue #' : 'merge request !'}${item.iid}`;
  const change = { rules: update.rules, target: subject.kind, detail: `${where}: ${describe(update.fields)}`, reason: update.reason };
  return [
    await ctx.write(change, async () => {
      const { fields } = update;
      const after =
        subject.kind === 'issue'
          ? await ctx.ports.gitlab.updateIssue(item.projectId, item.iid, fields)
          : await ctx.ports.gitlab.updateMergeRequest(item.projectId, item.iid, {
              addLabels: fields.addLabels,
              removeLabels: fields.removeLabels,
              title: fields.title,
              description: fields.description,
            });
      if (!ctx.dryRun) checkApplied(`${where} of project ${item.projectId}`, fields, after);
    }),
  ];
}

/** One handler for every field action: sharing `apply` is what makes them one write. */
export const fieldsHandler: DiffedHandler<FieldAction> = { port: 'gitlab', delivery: 'diffed', apply: applyFields };

function fieldUpdate(ctx: HandlerContext, planned: Planned<FieldAction>[]): { fields: IssueUpdate; rules: string[]; reason: string } | null {
  const { subject } = ctx;
  const issue = subject.kind === 'issue' ? subject.issue : undefined;
  const item = subjectItem(subject);
  const add: string[] = [];
  const remove: string[] = [];
  const fields: IssueUpdate = {};
  const touching: Planned<FieldAction>[] = [];
  const issueOnly = (p: Planned<FieldAction>) => {
    if (!issue) throw new Error(`rule ${p.rule}: ${p.action.type} applies to issues only`);
    return issue;
  };
  for (const p of planned) {
    const { action } = p;
    switch (action.type) {
      case 'addLabels':
        add.push(...action.labels);
        break;
      case 'removeLabels':
        remove.push(...action.labels);
        break;
      case 'setConfidential':
        if (!issueOnly(p).confidential) {
          fields.confidential = true;
          touching.push(p);
        }
        break;
      case 'setDescription':
        if (item.description !== action.description) {
          fields.description = action.description;
          touching.push(p);
        }
        break;
      case 'setTitle':
        if (item.title !== action.title) {
          fields.title = action.title;
          touching.push(p);
        }
        break;
      case 'setState':
        if (issueOnly(p).state !== action.state) {
          fields.stateEvent = action.state === 'closed' ? 'close' : 'reopen';
          touching.push(p);
        }
        break;
    }
  }
  const labels = diffLabels(item.labels, add, remove);
  if (labels.add.length > 0) fields.addLabels = labels.add;
  if (labels.remove.length > 0) fields.removeLabels = labels.remove;
  if (Object.keys(fields).length === 0) return null;
  touching.push(...planned.filter((p) => touchesLabels(p.action, fields)));
  return { fields, rules: unique(touching.map((p) => p.rule)), reason: unique(touching.map((p) => p.reason)).join('; ') };
}

function describe(fields: IssueUpdate): string {
  const parts: string[] = [];
  if (fields.addLabels) parts.push(`add ${fields.addLabels.map((l) => `~"${l}"`).join(' ')}`);
  if (fields.removeLabels) parts.push(`remove ${fields.removeLabels.map((l) => `~"${l}"`).join(' ')}`);
  if (fields.confidential) parts.push('make confidential');
  if (fields.title !== undefined) parts.push('rewrite title');
  if (fields.description !== undefined) parts.push('rewrite description');
  if (fields.stateEvent) parts.push(fields.stateEvent);
  return parts.join(', ');
}

function touchesLabels(action: FieldAction, fields: IssueUpdate): boolean {
  if (action.type === 'addLabels') return action.labels.some((l) => fields.addLabels?.includes(l));
  if (action.type === 'removeLabels') return action.labels.some((l) => fields.removeLabels?.includes(l));
  return false;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * GitLab answers 200 to an update and silently drops what the token may not set: labels,
 * assignees and confidentiality need the Reporter role on issues and Developer on merge
 * requests, when the bot may edit only as the author or an assignee
 * (IssuableBaseService#filter_params). The answer is the issuable as saved: a change it does
 * not show was not made, and counting it as written would leave the subject unprotected and
 * retry it on every run without a word.
 */
export function checkApplied(where: string, fields: IssueUpdate, after: { labels: readonly string[]; confidential?: boolean }): void {
  const missing = [
    ...(fields.addLabels ?? []).filter((l) => !after.labels.includes(l)),
    ...(fields.removeLabels ?? []).filter((l) => after.labels.includes(l)).map((l) => `-${l}`),
  ];
  const notConfidential = fields.confidential !== undefined && after.confidential !== undefined && after.confidential !== fields.confidential;
  if (missing.length === 0 && !notConfidential) return;
  const what = [...(missing.length ? [`labels ${missing.join(', ')}`] : []), ...(notConfidential ? [`confidential: ${String(fields.confidential)}`] : [])].join(' and ');
  throw new Error(
    `GitLab did not apply ${what} to ${where}: the bot's user may not set them there (labels and confidentiality need the Reporter role on issues, Developer on merge requests)`,
  );
}
