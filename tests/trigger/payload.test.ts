import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PayloadError, readTriggerPayload } from '../../src/trigger/payload.js';
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

  it('shows where an unexpected token is in a long text, and says "not valid JSON" once', () => {
    const page = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(200)}</body></html>`;
    const html = problem(() => readTriggerPayload({ file: file('page.html', page), env: {} }));
    expect(html).toMatch(/is not valid JSON: Unexpected token '<' near "<html><hea"\.\.\.$/);
    const bare = json.replace('"action": "open"', '"action": open');
    const middle = problem(() => readTriggerPayload({ env: { TRIGGER_PAYLOAD: bare } }));
    expect(middle).toMatch(/is not valid JSON: Unexpected token 'o' near \.\.\."[^]*"action": open[^]*"\.\.\.$/);
    expect(middle.match(/not valid JSON/g)).toHaveLength(1);
  });

  it('rejects an empty file and text that is not JSON', () => {
    expect(problem(() => readTriggerPayload({ file: file('empty.json', '\n'), env: {} }))).toMatch(/is empty$/);
    expect(problem(() => readTriggerPayload({ file: file('text.txt', 'object_kind=issue'), env: {} }))).toMatch(/is not valid JSON: Unexpected token 'o'$/);
  });
});
