import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/events/parse.js';
import { PAYLOAD_MAX_BYTES, PayloadError, readTriggerPayload } from '../../src/trigger/payload.js';
import { webhookFixture } from '../helpers/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'support-bot-payload-'));
const body = webhookFixture('issue.open');
const json = JSON.stringify(body, null, 2);

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problem(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return (error as Error).message;
  }
  throw new Error('expected a PayloadError');
}

describe('readTriggerPayload', () => {
  it('reads --payload FILE', () => {
    const path = file('flag.json', json);
    expect(readTriggerPayload({ file: path, env: {} })).toEqual({ origin: `--payload ${path}`, body });
  });

  it('reads TRIGGER_PAYLOAD as the path of a file (GitLab’s file-type variable)', () => {
    const path = file('variable.json', json);
    expect(readTriggerPayload({ env: { TRIGGER_PAYLOAD: path } })).toEqual({ origin: `TRIGGER_PAYLOAD file ${path}`, body });
  });

  it('reads TRIGGER_PAYLOAD holding the JSON itself, with CRLF and leading blanks', () => {
    const inline = `\r\n  ${json.replace(/\n/g, '\r\n')}`;
    expect(readTriggerPayload({ env: { TRIGGER_PAYLOAD: inline } })).toEqual({ origin: 'TRIGGER_PAYLOAD (inline JSON)', body });
  });

  it('prefers --payload over the variable', () => {
    const path = file('preferred.json', JSON.stringify({ object_kind: 'note' }));
    expect(readTriggerPayload({ file: path, env: { TRIGGER_PAYLOAD: json } }).body).toEqual({ object_kind: 'note' });
  });

  it('names the missing variable', () => {
    expect(problem(() => readTriggerPayload({ env: {} }))).toMatch(/^no payload: pass --payload FILE or set TRIGGER_PAYLOAD/);
    expect(problem(() => readTriggerPayload({ env: { TRIGGER_PAYLOAD: '  ' } }))).toMatch(/^no payload/);
  });

  it('names an unreadable file', () => {
    expect(problem(() => readTriggerPayload({ file: join(dir, 'absent.json'), env: {} }))).toBe(`cannot read the payload (--payload ${join(dir, 'absent.json')}): no such file`);
    expect(problem(() => readTriggerPayload({ env: { TRIGGER_PAYLOAD: dir } }))).toBe(`cannot read the payload (TRIGGER_PAYLOAD file ${dir}): it is a directory`);
  });

  it('gives the position of truncated JSON and says it looks truncated', () => {
    const cut = json.slice(0, 500);
    const message = problem(() => readTriggerPayload({ file: file('cut.json', cut), env: {} }));
    expect(message).toMatch(/is not valid JSON at position 50\d \(line \d+ column \d+ of 500 characters\), it looks truncated/);
  });

  it('gives the position of a syntax error in the middle, without calling it truncated', () => {
    const broken = json.replace('"event_type": "issue",', '"event_type": "issue"');
    const message = problem(() => readTriggerPayload({ env: { TRIGGER_PAYLOAD: broken } }));
    expect(message).toMatch(/^the payload \(TRIGGER_PAYLOAD \(inline JSON\)\) is not valid JSON at position \d+ \(line 4 column 3 of \d+ characters\): Expected ','/);
    expect(message).not.toContain('truncated');
  });

  it('reads a file saved with a UTF-8 byte order mark', () => {
    const path = file('bom.json', `\uFEFF${json}`);
    expect(readTriggerPayload({ file: path, env: {} }).body).toEqual(body);
  });

  // Issue 21, case 9: the file may be anything the job can read; nothing of it is quoted back.
  it.each([
    ['a shadow file', 'root:$6$s3cretsalt$hash:19000:0:99999:7:::\n'],
    ['an HTML page', `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(200)}</body></html>`],
    ['JSON with a bare word in the middle', json.replace('"action": "open"', '"action": opensesame')],
    ['a key=value line', 'object_kind=issue'],
    ['a control character inside a string', '{"title": "a\u0001secretword"}'],
    ['a single quote-delimited value', "{'token': 'hunter2hunter2'}"],
  ])('quotes nothing of %s that is not JSON', (_what, text) => {
    const message = problem(() => readTriggerPayload({ file: file('not-json.txt', text), env: {} }));
    expect(message).toMatch(/is not valid JSON/);
    expect(message.match(/not valid JSON/g)).toHaveLength(1);
    const tail = message.slice(message.indexOf('not valid JSON') + 'not valid JSON'.length);
    expect(tail).toMatch(
      /^(?: at position \d+ \(line \d+ column \d+ of \d+ characters\)| \(\d+ characters\))(?:, it looks truncated)?: (?:unexpected character|bad control character in a string|Expected [^"]*)$/,
    );
    for (const word of ['root', 's3cret', 'Gateway', 'opensesame', 'object_kind', 'secretword', 'hunter2']) expect(message).not.toContain(word);
  });

  it('reads regular files only: a directory, a FIFO and a device are named, never read', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(problem(() => readTriggerPayload({ env: { TRIGGER_PAYLOAD: dir } }))).toBe(`cannot read the payload (TRIGGER_PAYLOAD file ${dir}): it is a directory`);
    expect(problem(() => readTriggerPayload({ env: { TRIGGER_PAYLOAD: fifo } }))).toBe(`cannot read the payload (TRIGGER_PAYLOAD file ${fifo}): it is a FIFO`);
    expect(problem(() => readTriggerPayload({ env: { TRIGGER_PAYLOAD: '/dev/zero' } }))).toBe('cannot read the payload (TRIGGER_PAYLOAD file /dev/zero): it is a device');
  });

  it('refuses a file or an inline value over the size limit without reading it all', () => {
    const path = file('large.json', json);
    expect(problem(() => readTriggerPayload({ file: path, env: {}, maxBytes: 100 }))).toBe(
      `cannot read the payload (--payload ${path}): ${Buffer.byteLength(json)} bytes, over the 100-byte limit`,
    );
    expect(problem(() => readTriggerPayload({ env: { TRIGGER_PAYLOAD: json }, maxBytes: 100 }))).toBe('the payload (TRIGGER_PAYLOAD (inline JSON)) is over the 100-byte limit');
    expect(readTriggerPayload({ file: path, env: {}, maxBytes: Buffer.byteLength(json) }).body).toEqual(body);
    expect(PAYLOAD_MAX_BYTES).toBeGreaterThanOrEqual(25 * 1024 * 1024);
  });

  // app/services/ci/pipeline_trigger_service.rb (`payload_variable`: `params.except(:token)`) and
  // lib/api/ci/triggers.rb (`params[:variables] = params[:variables].to_h`): the file is the
  // trigger request's parameters, the webhook body's keys plus `id`, `ref` and `variables`.
  it('reads the trigger request parameters GitLab writes: the body plus id, ref and variables', () => {
    const parameters = { ...body, id: '42', ref: 'main', variables: {} };
    const path = file('parameters.json', JSON.stringify(parameters));
    expect(readTriggerPayload({ env: { TRIGGER_PAYLOAD: path } }).body).toEqual(parameters);
    const [withParameters, bare] = [parseEvent(parameters), parseEvent(body)];
    expect(withParameters.status).toBe('event');
    if (withParameters.status !== 'event' || bare.status !== 'event') return;
    const { payload: _p, ...event } = withParameters.event as { payload?: unknown };
    const { payload: _b, ...bareEvent } = bare.event as { payload?: unknown };
    expect(event).toEqual(bareEvent);
  });

  it('rejects an empty file and text that is not JSON', () => {
    expect(problem(() => readTriggerPayload({ file: file('empty.json', '\n'), env: {} }))).toMatch(/is empty$/);
    expect(problem(() => readTriggerPayload({ file: file('text.txt', 'object_kind=issue'), env: {} }))).toMatch(/is not valid JSON \(17 characters\): unexpected character$/);
  });
});
