import { describe, expect, it } from 'vitest';
import { CASES, cpuMs } from '../../bench/scanners.js';

// Issue 12, case 6: every scanner of user text is linear. Not a timing race: the bounds
// are CPU time (other work on the machine does not count), generous (5–50× what the
// linear scanners take, cold), and far below what a quadratic scanner needs: the
// private-key detector before the fix took 4–11 s of CPU on 1 MB of unclosed BEGIN lines,
// so 17–45 s on 2 MB, against a bound of 1 s. `npm run bench -- scanners` prints the
// growth per doubling of every case.

const MB = 1024 * 1024;
/** 2 MB of BEGIN lines: ~0.1–0.2 s now. */
const KEY_BOUND_MS = 1000;
/** Any scanner, 1 MB: 0.4 s at most now (sections of 65,000 headings, cold). */
const BOUND_MS = 2000;

describe('text scanners stay linear on pathological input', () => {
  it.each(CASES.filter((c) => c.scanner === 'findSecrets' && c.input.includes('BEGIN')).map((c) => [c.input, c] as const))(
    'findSecrets: %s, 2 MB, under 1 s of CPU',
    (_name, c) => {
      const text = c.make(2 * MB);
      expect(cpuMs(() => c.run(text))).toBeLessThan(KEY_BOUND_MS);
    },
  );

  it.each(CASES.map((c) => [`${c.scanner}: ${c.input}`, c] as const))('%s, 1 MB, under 2 s of CPU', (_name, c) => {
    const text = c.make(MB);
    expect(cpuMs(() => c.run(text))).toBeLessThan(BOUND_MS);
  });

  it('still finds every truncated key among 20,000 BEGIN lines', async () => {
    const { findSecrets } = await import('../../src/secrets/detectors.js');
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAaB3dE5fG7hJ9kL1mN2pQ\n';
    const found = findSecrets(key.repeat(20_000));
    expect(found).toHaveLength(20_000);
    expect(found.every((m, i) => m.start === i * key.length && m.end === (i + 1) * key.length - 1)).toBe(true);
  });
});
