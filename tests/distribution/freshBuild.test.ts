import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isStale } from '../support/freshBuild.js';

// The suite's global setup rebuilds dist/ and the bundle only when a source is newer.
const dir = mkdtempSync(join(tmpdir(), 'support-bot-fresh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isStale (tests/support/freshBuild.ts)', () => {
  it('is stale when the output is missing, or older than any file under a source directory', () => {
    const src = join(dir, 'src');
    mkdirSync(join(src, 'deep'), { recursive: true });
    const source = join(src, 'deep', 'a.ts');
    const output = join(dir, 'out.js');
    writeFileSync(source, 'x');
    expect(isStale(output, [src])).toBe(true);
    writeFileSync(output, 'y');
    utimesSync(join(src, 'deep'), 1000, 1000);
    utimesSync(src, 1000, 1000);
    utimesSync(source, 1000, 1000);
    utimesSync(output, 2000, 2000);
    expect(isStale(output, [src])).toBe(false);
    utimesSync(source, 3000, 3000);
    expect(isStale(output, [src])).toBe(true);
  });
});
