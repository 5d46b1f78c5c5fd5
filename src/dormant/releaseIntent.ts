import { z } from 'zod';
import type { Criterion } from './assess.js';

// The release's intent, written into the request (the release-record note) before the
// rename (issue 21 #2). A run killed right after `PUT /users/:id` leaves the namespace
// free and no user under the requested name: the next run finds this record, reads the
// account by its id and finishes the release, whatever point the kill came at.
//
// The intent rides in the note as one hidden line, after the visible text; the finished
// record has no such line, so "still pending" is "the line is there".

const LINE = /^<!-- support-bot-release-intent ([A-Za-z0-9_-]+) -->$/m;

const intentSchema = z.strictObject({
  userId: z.number().int().positive(),
  from: z.string().min(1),
  to: z.string().min(1),
  numbered: z.boolean(),
  wanted: z.string().min(1),
  /** The day the release was started: the day the record will give. */
  day: z.string().regex(/^\d{4}-\d\d-\d\d$/),
  namespace: z.string().min(1),
  /** The account's page when the report linked it. */
  profileUrl: z.string().nullable(),
  /** The report's evidence at the moment of the rename, so the finished report reads as if never interrupted. */
  criteria: z.array(z.strictObject({ name: z.string(), status: z.enum(['pass', 'fail', 'pending', 'cannot verify']), evidence: z.string() })),
});

export type ReleaseIntent = z.output<typeof intentSchema> & { criteria: Criterion[] };

/** The hidden line that carries the intent (base64url JSON: no `-->` can end the comment early). */
export function intentLine(intent: ReleaseIntent): string {
  return `<!-- support-bot-release-intent ${Buffer.from(JSON.stringify(intent), 'utf8').toString('base64url')} -->`;
}

/** The intent a record note still carries, or null (finished, someone else's text, or unreadable). */
export function readIntent(body: string): ReleaseIntent | null {
  const encoded = LINE.exec(body)?.[1];
  if (!encoded) return null;
  try {
    const parsed = intentSchema.safeParse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
