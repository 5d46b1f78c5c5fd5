import { collect } from '../../gitlab/collect.js';
import { sameUsername } from '../../gitlab/usernames.js';
import type { Note } from '../../gitlab/types.js';
import type { AppliedChange } from '../changes.js';
import { markerKey, withMarker } from '../markers.js';
import type { ActionOf, DiffedHandler, HandlerContext, Planned } from './types.js';

type UpsertNote = ActionOf<'upsertNote'>;

/**
 * One note per (subject, key), found by its hidden marker: edited in place when it differs,
 * created once, duplicates converged to the oldest. The subject's notes are read once for all
 * of its note actions.
 */
export const upsertNoteHandler: DiffedHandler<UpsertNote> = {
  port: 'gitlab',
  delivery: 'diffed',
  async apply(ctx, planned) {
    const changes: AppliedChange[] = [];
    let current = await ctx.notes();
    for (const p of planned) {
      const change = await upsertNote(ctx, p, current);
      changes.push(...change.applied);
      current = notesAfter(current, change);
    }
    return changes;
  },
};

/** The subject's notes once an upsert wrote `change`. */
export function notesAfter(notes: Note[], change: { note?: Note; removed: number[] }): Note[] {
  const { note } = change;
  const kept = notes.filter((n) => !change.removed.includes(n.id) && n.id !== note?.id);
  return note ? [...kept, note] : kept;
}

/** The notes `botUsername` wrote carrying this marker (usernames in any case), oldest first. */
export function botNotesWithKey(botUsername: string, notes: readonly Note[], key: string): Note[] {
  return notes
    .filter((n) => !n.system && sameUsername(n.author.username, botUsername) && markerKey(n.body) === key)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
}

async function ownNotes(ctx: HandlerContext, notes: Note[], key: string): Promise<Note[]> {
  return botNotesWithKey((await ctx.bot()).username, notes, key);
}

export async function upsertNote(
  ctx: HandlerContext,
  { rule, action, reason }: Planned<UpsertNote>,
  notes: Note[],
): Promise<{ applied: AppliedChange[]; note?: Note; removed: number[] }> {
  const { ref } = ctx;
  const body = withMarker(action.key, action.body);
  const [existing, ...duplicates] = await ownNotes(ctx, notes, action.key);
  const where = `${ref.kind === 'issue' ? 'issue #' : 'merge request !'}${ref.iid}`;
  const change = (detail: string) => ({ rules: [rule], target: 'note' as const, detail: `${where}: ${detail}`, reason });
  // Two runs that posted at once (a webhook and a schedule), or a POST GitLab applied after the
  // bot timed out, looked and posted again, leave two notes: keep the oldest.
  const { applied: removals, removed } = await removeDuplicates(ctx, rule, action.key, duplicates, change);
  if (existing) {
    if (existing.body.trim() === body.trim()) return { applied: [...removals, ctx.unchanged(change(`note "${action.key}" is current`))], removed };
    let note: Note | undefined;
    const applied = await ctx.write(change(`edit note "${action.key}"`), async () => {
      note = await ctx.ports.gitlab.updateNote(ref, existing.id, body);
    });
    return { applied: [...removals, applied], note, removed };
  }
  if (action.onlyIfExists) return { applied: [ctx.unchanged(change(`no note "${action.key}" to edit`))], removed };
  let note: Note | undefined;
  const applied = await ctx.write(change(`post note "${action.key}"`), async () => {
    note = await createNoteOnce(ctx, action.key, body);
  });
  return { applied: [applied], note, removed };
}

/** Each deletion is a write like any other: counted, within the budget, only recorded in a dry run. */
async function removeDuplicates(
  ctx: HandlerContext,
  rule: string,
  key: string,
  duplicates: Note[],
  change: (detail: string) => Parameters<HandlerContext['write']>[0],
): Promise<{ applied: AppliedChange[]; removed: number[] }> {
  const applied: AppliedChange[] = [];
  const removed: number[] = [];
  for (const duplicate of duplicates) {
    applied.push(
      await ctx.write(change(`delete duplicate note "${key}" (note ${duplicate.id}, a younger copy)`), async () => {
        ctx.log.warn({ rule, key, noteId: duplicate.id }, 'duplicate bot note: deleting the younger copy');
        await ctx.ports.gitlab.deleteNote(ctx.ref, duplicate.id);
        removed.push(duplicate.id);
      }),
    );
  }
  return { applied, removed };
}

/**
 * Creating a note is not idempotent: its marker is looked for before another attempt.
 * After posting, a look for an older copy (another process posting at the same time)
 * keeps one note: the younger one deletes itself.
 */
async function createNoteOnce(ctx: HandlerContext, key: string, body: string): Promise<Note> {
  const { ref } = ctx;
  const ours = async () => (await ownNotes(ctx, await collect(ctx.reader.listNotes(ref)), key))[0];
  const { value: created, landed } = await ctx.createOnce('note creation', { key }, () => ctx.ports.gitlab.createNote(ref, body), ours);
  if (landed || ctx.dryRun) return created;
  const oldest = await ours();
  if (oldest && oldest.id !== created.id) {
    ctx.log.warn({ key, noteId: created.id, kept: oldest.id }, 'another run posted the same note first: deleting ours');
    await ctx.ports.gitlab.deleteNote(ref, created.id);
    return oldest;
  }
  return created;
}
