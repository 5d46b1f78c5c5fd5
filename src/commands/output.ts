import { DryRunWriter, type Writer } from '../engine/writer.js';
import { redactAndClip } from '../gitlab/errors.js';

/** Prints what a dry run would have sent, one line per write. */
export function printWrites(writer: Writer, out: NodeJS.WritableStream): void {
  if (!(writer instanceof DryRunWriter)) return;
  if (writer.writes.length === 0) {
    out.write('dry run: nothing to write\n');
    return;
  }
  out.write(`dry run: ${writer.writes.length} write(s) not sent\n`);
  for (const w of writer.writes) {
    const detail = Object.entries(w.detail)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(redactAndClip(v, 120)) : JSON.stringify(v)}`)
      .join(' ');
    // GitLab's writes are most of them: only another port's are prefixed with its name.
    out.write(`  ${w.port === 'gitlab' ? '' : `${w.port} `}${w.method} ${w.target} ${detail}\n`);
  }
}
