import { DryRunWriter, type Writer } from '../engine/writer.js';
import type { RecordedWrite } from '../engine/ports.js';

/** A text value shown on its write's line; longer ones (a comment, a description, a diff) are printed in full below it. */
const INLINE_MAX = 80;

const isBlock = (value: unknown): value is string => typeof value === 'string' && (/[\r\n]/.test(value) || value.length > INLINE_MAX);

/**
 * One write as a dry run shows it: the call and its short values on one line, why it would be
 * made on the next, and every long text (a comment, a description) in full, indented under it,
 * so its wording can be reviewed before going live. Secrets are redacted where the text
 * leaves the process (the CLI's streams).
 */
export function formatWrite(write: RecordedWrite): string {
  const entries = Object.entries(write.detail).filter(([, v]) => v !== undefined);
  const inline = entries
    .filter(([, v]) => !isBlock(v))
    .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
    .join('');
  // GitLab's writes are most of them: only another port's are prefixed with its name.
  const lines = [`  ${write.port === 'gitlab' ? '' : `${write.port} `}${write.method} ${write.target}${inline}`];
  if (write.cause) lines.push(`    why: [${write.cause.rules.join(',')}] ${write.cause.reason}`);
  for (const [key, value] of entries) {
    if (!isBlock(value)) continue;
    lines.push(
      `    ${key}:`,
      ...value
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((line) => (line === '' ? '' : `      ${line}`)),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Prints what a dry run would have sent: every write, with its reason and its texts in full. */
export function printWrites(writer: Writer, out: NodeJS.WritableStream): void {
  if (!(writer instanceof DryRunWriter)) return;
  if (writer.writes.length === 0) {
    out.write('dry run: nothing to write\n');
    return;
  }
  out.write(`dry run: ${writer.writes.length} write(s) not sent\n`);
  for (const w of writer.writes) out.write(formatWrite(w));
}
