import { readFileSync } from 'node:fs';
import { SetupError } from '../config/env.js';

// Where a pipeline-trigger run finds its webhook body. GitLab hands the body of a
// webhook sent to a trigger URL to the pipeline as the file-type CI/CD variable
// TRIGGER_PAYLOAD, so the variable holds a PATH; a variable whose value is the
// JSON itself (set by hand, or as a plain variable) is accepted too.

export const PAYLOAD_VARIABLE = 'TRIGGER_PAYLOAD';

/** A payload that cannot be used: like any setup problem, the command exits 2 with this message. */
export class PayloadError extends SetupError {
  override name = 'PayloadError';
}

export interface TriggerPayload {
  /** Where it came from, for messages: `--payload FILE`, `TRIGGER_PAYLOAD file FILE`, `TRIGGER_PAYLOAD (inline JSON)`. */
  origin: string;
  body: unknown;
}

export interface PayloadSourceOptions {
  /** `--payload FILE`; wins over the variable. */
  file?: string;
  env: Record<string, string | undefined>;
}

function readPayloadFile(path: string, origin: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new PayloadError(`cannot read the payload (${origin}): ${why}`);
  }
}

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line} column ${column}`;
}

/** JSON.parse with an error that names the source and the position (Node's message has no position when the input just ends). */
export function parseJsonPayload(raw: string, origin: string): unknown {
  // Editors on Windows save UTF-8 with a byte order mark; JSON.parse rejects it.
  const text = raw.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new PayloadError(`the payload (${origin}) is empty`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
    const where = offset === undefined ? '' : ` at position ${offset} (${lineAndColumn(text, offset)} of ${text.length} characters)`;
    const truncated = offset !== undefined && offset >= text.trimEnd().length - 1 ? ', it looks truncated' : '';
    // Node quotes the text (short) or a window of it ("…"... when long): keep a window as the place, drop a whole quote.
    const reason = message
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, ((?:\.\.\.)?".*"(?:\.\.\.)?) is not valid JSON$/s, (_all, quoted: string) => (quoted.includes('"...') || quoted.startsWith('...') ? ` near ${quoted}` : ''));
    throw new PayloadError(`the payload (${origin}) is not valid JSON${where}${truncated}: ${reason}`);
  }
}

/** Reads the webhook body from `--payload FILE`, else from TRIGGER_PAYLOAD (a file path, or the JSON itself). */
export function readTriggerPayload(options: PayloadSourceOptions): TriggerPayload {
  if (options.file !== undefined) {
    const origin = `--payload ${options.file}`;
    return { origin, body: parseJsonPayload(readPayloadFile(options.file, origin), origin) };
  }
  const value = options.env[PAYLOAD_VARIABLE];
  if (value === undefined || value.trim() === '') {
    throw new PayloadError(`no payload: pass --payload FILE or set ${PAYLOAD_VARIABLE} (GitLab sets it in pipelines started by a webhook sent to a pipeline trigger URL)`);
  }
  if (/^\s*[{[]/.test(value)) {
    const origin = `${PAYLOAD_VARIABLE} (inline JSON)`;
    return { origin, body: parseJsonPayload(value, origin) };
  }
  const origin = `${PAYLOAD_VARIABLE} file ${value}`;
  return { origin, body: parseJsonPayload(readPayloadFile(value, origin), origin) };
}
