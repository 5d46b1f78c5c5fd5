import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/secrets/detectors.js';
import { redact } from '../../src/secrets/redact.js';
import { fake, pemBlock } from './fakeSecrets.js';

const redactAll = (text: string) => redact(text, findSecrets(text), '[REDACTED]');

describe('redact', () => {
  it('replaces each secret and keeps every other byte, CRLF and code fences included', () => {
    const before = `## Problem\r\n\r\nMy runner fails:\r\n\r\n\`\`\`toml\r\ntoken = "${fake.glrt}"\r\n\`\`\`\r\n\r\nMy token ${fake.glpat}.  Trailing spaces  \r\n`;
    const after = redactAll(before);
    expect(after).toBe(before.replace(fake.glrt, '[REDACTED]').replace(fake.glpat, '[REDACTED]'));
    expect(after).not.toContain(fake.glrt);
    expect(after).not.toContain(fake.glpat);
  });

  it('replaces a private key block as a whole', () => {
    const before = `Key:\n\n\`\`\`\n${pemBlock()}\n\`\`\`\nEnd.`;
    expect(redactAll(before)).toBe('Key:\n\n```\n[REDACTED]\n```\nEnd.');
  });

  it('is idempotent: redacted text has nothing left to redact', () => {
    const once = redactAll(`a ${fake.glpat} b ${fake.awsKeyId} c`);
    expect(once).toBe('a [REDACTED] b [REDACTED] c');
    expect(findSecrets(once)).toEqual([]);
    expect(redactAll(once)).toBe(once);
  });

  it('leaves text without secrets as it is', () => {
    expect(redactAll('nothing to see')).toBe('nothing to see');
    expect(redact('abc', [], 'X')).toBe('abc');
  });
});
