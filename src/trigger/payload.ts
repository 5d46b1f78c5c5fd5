import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { SetupError } from '../config/env.js';

// Where a pipeline-trigger run finds its webhook body. GitLab hands the body of a
// webhook sent to a trigger URL to the pipeline as the file-type CI/CD variable
// TRIGGER_PAYLOAD, so the variable holds a PATH; a variable whose value is the
// JSON itself (set by hand, or as a plain variable) is accepted too.
//
// What the file holds is the trigger request's parameters, not the bare webhook body
// (app/services/ci/pipeline_trigger_service.rb, `payload_variable`: `params.except(:token)`):
// the body's keys plus `id` and `ref` from the trigger URL and `variables` (`{}` when none),
// which lib/api/ci/triggers.rb sets. The event schemas read the body's keys and leave those out.
//
// The path comes from the environment, so it is read defensively: a regular file only (not
// /dev/zero, a FIFO or a directory: opened without blocking, checked on the open descriptor),
// at most `PAYLOAD_MAX_BYTES`, and nothing of a body that is not JSON is ever quoted back
// (the file may be anything, /etc/shadow included).

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
  /** Defaults to `PAYLOAD_MAX_BYTES`. */
  maxBytes?: number;
}

/** GitLab's largest webhook body (25 MB, the server's `maxBodyBytes` default); a payload file is that body plus three small keys. */
export const PAYLOAD_MAX_BYTES = 25 * 1024 * 1024 + 64 * 1024;

function fileKind(stat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'it is a directory';
  if (stat.isFIFO()) return 'it is a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'it is a device';
  if (stat.isSocket()) return 'it is a socket';
  return 'it is not a regular file';
}

function readPayloadFile(path: string, origin: string, maxBytes: number): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ENXIO' ? 'it is not a regular file' : (code ?? 'unreadable');
    throw new PayloadError(`cannot read the payload (${origin}): ${why}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new PayloadError(`cannot read the payload (${origin}): ${fileKind(stat)}`);
    if (stat.size > maxBytes) throw new PayloadError(`cannot read the payload (${origin}): ${stat.size} bytes, over the ${maxBytes}-byte limit`);
    // Read with a bound even so: the file may grow between the check and the read.
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) throw new PayloadError(`cannot read the payload (${origin}): over the ${maxBytes}-byte limit`);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
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
    // Node quotes the text, or the offending character: the position is the place, the quote is dropped.
    const reason = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, (?:\.\.\.)?".*$/s, '')
      .replace(/^Unexpected token .*$/s, 'unexpected character')
      .replace(/^Bad control character.*$/s, 'bad control character in a string');
    const size = where === '' ? ` (${text.length} characters)` : '';
    throw new PayloadError(`the payload (${origin}) is not valid JSON${where}${size}${truncated}: ${reason}`);
  }
}

/** Reads the webhook body from `--payload FILE`, else from TRIGGER_PAYLOAD (a file path, or the JSON itself). */
export function readTriggerPayload(options: PayloadSourceOptions): TriggerPayload {
  const maxBytes = options.maxBytes ?? PAYLOAD_MAX_BYTES;
  if (options.file !== undefined) {
    const origin = `--payload ${options.file}`;
    return { origin, body: parseJsonPayload(readPayloadFile(options.file, origin, maxBytes), origin) };
  }
  const value = options.env[PAYLOAD_VARIABLE];
  if (value === undefined || value.trim() === '') {
    throw new PayloadError(`no payload: pass --payload FILE or set ${PAYLOAD_VARIABLE} (GitLab sets it in pipelines started by a webhook sent to a pipeline trigger URL)`);
  }
  if (/^\s*[{[]/.test(value)) {
    const origin = `${PAYLOAD_VARIABLE} (inline JSON)`;
    if (value.length > maxBytes) throw new PayloadError(`the payload (${origin}) is over the ${maxBytes}-byte limit`);
    return { origin, body: parseJsonPayload(value, origin) };
  }
  const origin = `${PAYLOAD_VARIABLE} file ${value}`;
  return { origin, body: parseJsonPayload(readPayloadFile(value, origin, maxBytes), origin) };
}
