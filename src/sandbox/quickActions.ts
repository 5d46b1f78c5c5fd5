// Quick actions in note bodies and in descriptions sent through the API, as GitLab runs
// them (doc/user/project/quick_actions.md; lib/gitlab/quick_actions/extractor.rb,
// QuickActions::InterpretService). A command is a line that starts with `/name`, outside
// fenced code blocks and `>>>` quote blocks; the line is removed from the text. The sandbox
// knows the commands the bot and its tests could trigger: /close, /reopen, /label,
// /unlabel, /assign, /confidential, and /approve on merge requests. Quick actions never
// create labels; unknown names stay text.

import { ACCESS, type SandboxStore } from './store.js';
import type { IssuableRec, UserRec } from './types.js';

export interface QuickActionResult {
  /** The text without its command lines. */
  text: string;
  /** How many command lines were found (also ones that turned out to do nothing). */
  commands: number;
  stateEvent?: 'close' | 'reopen';
  addLabels: string[];
  removeLabels: string[];
  /** /unlabel without arguments removes every label. */
  removeAllLabels: boolean;
  assigneeIds?: number[];
  confidential?: boolean;
  approve: boolean;
  /** The API's `commands_changes`. */
  changes: Record<string, unknown>;
  /** The API's `summary`, one line per command that applied. */
  summary: string[];
}

const COMMAND = /^\/([a-z_]+)(?:[ \t]+(.*))?$/i;
const FENCE = /^\s*(```|~~~)/;
const QUOTE_BLOCK = /^\s*>>>/;

/** Splits `text` into its command lines and the rest. */
export function extractCommands(text: string): { text: string; commands: { name: string; arg: string }[] } {
  const kept: string[] = [];
  const commands: { name: string; arg: string }[] = [];
  let fence: string | null = null;
  let quote = false;
  for (const line of text.split('\n')) {
    const bare = line.replace(/\r$/, '');
    if (fence === null && !quote) {
      const opened = FENCE.exec(bare)?.[1];
      if (opened) fence = opened;
      else if (QUOTE_BLOCK.test(bare)) quote = true;
      else {
        const match = COMMAND.exec(bare);
        if (match && KNOWN.has(match[1]!.toLowerCase())) {
          commands.push({ name: match[1]!.toLowerCase(), arg: (match[2] ?? '').trim() });
          continue;
        }
      }
    } else if (fence !== null && bare.trim().startsWith(fence)) fence = null;
    else if (quote && QUOTE_BLOCK.test(bare)) quote = false;
    kept.push(line);
  }
  // Text without commands is left exactly as it was.
  return { text: commands.length ? kept.join('\n').trim() : text, commands };
}

const KNOWN = new Set(['close', 'reopen', 'label', 'labels', 'unlabel', 'remove_label', 'assign', 'confidential', 'approve']);

/** `~bug ~"needs info" plain` → titles. */
function labelArgs(arg: string): string[] {
  const titles: string[] = [];
  for (const m of arg.matchAll(/~"([^"]+)"|~([^\s~"]+)|([^\s~"]+)/g)) titles.push(m[1] ?? m[2] ?? m[3]!);
  return titles;
}

export function interpretQuickActions(store: SandboxStore, issuable: IssuableRec, text: string, actor: UserRec): QuickActionResult {
  const extracted = extractCommands(text);
  const result: QuickActionResult = {
    text: extracted.text,
    commands: extracted.commands.length,
    addLabels: [],
    removeLabels: [],
    removeAllLabels: false,
    approve: false,
    changes: {},
    summary: [],
  };
  const level = actor.isAdmin ? ACCESS.owner : store.accessLevel(issuable.projectId, actor.id);
  // /close and /reopen need update_issue / update_merge_request (Reporter or Developer, or the
  // author or an assignee: app/policies/issuable_policy.rb); /label, /unlabel, /assign and
  // /confidential need set_issue_metadata (Reporter) or set_merge_request_metadata (Developer)
  // (lib/gitlab/quick_actions/issuable_actions.rb).
  const canAdmin = level >= (issuable.kind === 'issue' ? ACCESS.reporter : ACCESS.developer);
  const canUpdate = canAdmin || issuable.authorId === actor.id || issuable.assigneeIds.includes(actor.id);
  const noun = issuable.kind === 'issue' ? 'issue' : 'merge request';
  const known = (titles: string[]) => titles.filter((t) => store.findLabel(issuable.projectId, t));

  for (const { name, arg } of extracted.commands) {
    if ((name === 'close' || name === 'reopen') && canUpdate) {
      const open = issuable.state === 'opened';
      if (name === 'close' ? open : issuable.state === 'closed') {
        result.stateEvent = name;
        result.changes['state_event'] = name;
        result.summary.push(`${name === 'close' ? 'Closed' : 'Reopened'} this ${noun}.`);
      }
    } else if ((name === 'label' || name === 'labels') && canAdmin) {
      const titles = known(labelArgs(arg));
      if (titles.length) {
        result.addLabels.push(...titles);
        result.changes['add_label_ids'] = titles.map((t) => store.findLabel(issuable.projectId, t)!.id);
        result.summary.push(`Added ${titles.map((t) => `~"${t}"`).join(' ')} label${titles.length > 1 ? 's' : ''}.`);
      }
    } else if ((name === 'unlabel' || name === 'remove_label') && canAdmin) {
      if (arg === '') {
        result.removeAllLabels = true;
        result.changes['label_ids'] = [];
        result.summary.push('Removed all labels.');
      } else {
        const titles = known(labelArgs(arg)).filter((t) => issuable.labels.includes(t));
        if (titles.length) {
          result.removeLabels.push(...titles);
          result.changes['remove_label_ids'] = titles.map((t) => store.findLabel(issuable.projectId, t)!.id);
          result.summary.push(`Removed ${titles.map((t) => `~"${t}"`).join(' ')} label${titles.length > 1 ? 's' : ''}.`);
        }
      }
    } else if (name === 'assign' && canAdmin) {
      const users = arg
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((ref) => (ref === 'me' ? actor : store.findUserByUsername(ref.replace(/^@/, ''))))
        .filter((u): u is UserRec => u !== undefined);
      if (users.length) {
        const ids = [...new Set([...issuable.assigneeIds, ...users.map((u) => u.id)])];
        result.assigneeIds = ids;
        result.changes['assignee_ids'] = ids;
        result.summary.push(`Assigned ${users.map((u) => `@${u.username}`).join(' and ')}.`);
      }
    } else if (name === 'confidential' && canAdmin && issuable.kind === 'issue' && !issuable.confidential) {
      result.confidential = true;
      result.changes['confidential'] = true;
      result.summary.push('Made this issue confidential.');
    } else if (name === 'approve' && issuable.kind === 'merge_request' && level >= ACCESS.developer && !issuable.approvedBy.some((a) => a.userId === actor.id)) {
      result.approve = true;
      result.changes['approve'] = true;
      result.summary.push('Approved the current merge request.');
    }
  }
  return result;
}
