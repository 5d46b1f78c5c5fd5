import { describe, expect, it } from 'vitest';
import { findSecrets, secretKinds } from '../../src/secrets/detectors.js';
import { isInvisible, normalizeForMatching } from '../../src/secrets/normalize.js';
import { redact } from '../../src/secrets/redact.js';
import { fake, pemBlock, tokenBody } from './fakeSecrets.js';

// Issue 12, case 11: secrets written so that a pattern misses them while a reader (or a
// program decoding the text) still gets the secret. The detectors read a normalised
// copy; redaction replaces the whole secret as written, hiding characters included, and
// leaves every other character of the text as it was.

const ZWSP = '\u200b';
const SOFT_HYPHEN = '\u00ad';
const redactAll = (text: string) => redact(text, findSecrets(text), '[REDACTED]');
const spans = (text: string) => findSecrets(text).map((m) => text.slice(m.start, m.end));
const percentEncode = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');

describe('evasions: each is found and redacted whole', () => {
  const token = fake.glpat; // glpat- and 20 characters
  const half = 6 + 10;

  it.each([
    ['the dash percent-encoded', `glpat%2D${token.slice(6)}`],
    ['every character percent-encoded', percentEncode(token)],
    ['lower-case percent escapes', `glpat%2d${token.slice(6)}`],
    ['a zero-width space inside the body', `${token.slice(0, half)}${ZWSP}${token.slice(half)}`],
    ['a zero-width space inside the prefix', `gl${ZWSP}pat-${token.slice(6)}`],
    ['a soft hyphen inside the body', `${token.slice(0, half)}${SOFT_HYPHEN}${token.slice(half)}`],
    ['several invisible characters (ZWJ, word joiner, BOM)', `${token.slice(0, 8)}\u200d${token.slice(8, 12)}\u2060\ufeff${token.slice(12)}`],
    ['an HTML character reference for the dash', `glpat&#45;${token.slice(6)}`],
    ['a hexadecimal character reference', `glpat&#x2D;${token.slice(6)}`],
    ['a Markdown backslash escape of the dash', `glpat\\-${token.slice(6)}`],
  ])('%s', (_how, written) => {
    const text = `My token is ${written} and it fails.`;
    expect(spans(text)).toEqual([written]);
    expect(secretKinds(findSecrets(text))).toEqual(['gitlab-token']);
    expect(redactAll(text)).toBe('My token is [REDACTED] and it fails.');
  });

  it('finds a token right after `_` (or any word character), and redacts only the token', () => {
    expect(redactAll(`export GITLAB_${token}`)).toBe('export GITLAB_[REDACTED]');
    expect(redactAll(`_${token}`)).toBe('_[REDACTED]');
    expect(redactAll(`x${fake.gldt} and CI_${fake.runnerRegistration}`)).toBe('x[REDACTED] and CI_[REDACTED]');
  });

  it('finds a token split over two lines after `token:` and redacts both halves, not only the first', () => {
    for (const newline of ['\n', '\r\n']) {
      const text = ['Runner config:', `token: ${token.slice(0, half)}`, `${token.slice(half)}`, 'Thanks!'].join(newline);
      expect(redactAll(text)).toBe(['Runner config:', 'token: [REDACTED]', 'Thanks!'].join(newline));
    }
    // The second half indented, and the split made just after the prefix.
    expect(redactAll(`token: ${token.slice(0, 7)}\n    ${token.slice(7)} end`)).toBe('token: [REDACTED] end');
  });

  it('does not join a complete token with the next line', () => {
    expect(redactAll(`${token}\nThanks`)).toBe('[REDACTED]\nThanks');
    // A prefix and a few characters followed by a short word is not a token, even joined.
    expect(findSecrets('glpat-abc\nhello world')).toEqual([]);
  });

  it('redacts a percent-encoded token in a URL query, and a private key whose newlines are percent-encoded', () => {
    const url = `https://gitlab.example.com/api/v4/projects?private_token=${percentEncode(token)}&per_page=5`;
    expect(redactAll(url)).toBe('https://gitlab.example.com/api/v4/projects?private_token=[REDACTED]&per_page=5');
    const key = pemBlock().replaceAll('\n', '%0A').replaceAll(' ', '%20');
    expect(redactAll(`key=${key}&x=1`)).toBe('key=[REDACTED]&x=1');
  });

  it('finds other kinds hidden the same way', () => {
    const aws = `${fake.awsKeyId.slice(0, 10)}${ZWSP}${fake.awsKeyId.slice(10)}`;
    const password = `password: hun${SOFT_HYPHEN}ter22!`;
    expect(spans(`${aws} / ${password}`)).toEqual([aws, `hun${SOFT_HYPHEN}ter22!`]);
  });

  it('changes nothing else in a description full of evasions', () => {
    const secrets = [`glpat%2D${token.slice(6)}`, `${fake.gldt.slice(0, 9)}${ZWSP}${fake.gldt.slice(9)}`, `${fake.glrt.slice(0, 12)}${SOFT_HYPHEN}${fake.glrt.slice(12)}`, token];
    const description = [
      '## Problem',
      '',
      'Percent: 50% done, 100%%, %zz, `a%20b` and https://example.com/a%2Fb?q=%41',
      `My token ${secrets[0]} fails.\u200b`,
      '',
      '```toml',
      `token = "${secrets[1]}"`,
      '```',
      '',
      `> quoted \\*not emphasis\\* &#35; &amp; ${secrets[2]}\u00ad`,
      '',
      `export GITLAB_${secrets[3]}`,
      'Emoji with a joiner: 👩\u200d💻, tag sequence 🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}.',
      '',
    ].join('\r\n');
    let expected = description;
    for (const secret of secrets) expected = expected.replace(secret, '[REDACTED]');
    expect(redactAll(description)).toBe(expected);
    expect(findSecrets(expected)).toEqual([]);
  });
});

describe('normalizeForMatching', () => {
  it('returns the text itself when there is nothing to undo', () => {
    const text = 'plain text, 50 % and & and \\ alone';
    const normalized = normalizeForMatching(text);
    expect(normalized.text).toBe(text);
    expect(normalized.toOriginal(3, 8)).toEqual({ start: 3, end: 8 });
  });

  it('decodes and drops, and maps every span back to the original characters', () => {
    const text = `a%41b${ZWSP}c&#67;d\\_e`;
    const normalized = normalizeForMatching(text);
    expect(normalized.text).toBe('aAbcCd_e');
    const original = (start: number, end: number) => {
      const span = normalized.toOriginal(start, end);
      return text.slice(span.start, span.end);
    };
    expect(original(1, 2)).toBe('%41');
    expect(original(0, 3)).toBe('a%41b');
    expect(original(2, 4)).toBe(`b${ZWSP}c`);
    expect(original(4, 5)).toBe('&#67;');
    expect(original(6, 8)).toBe('\\_e');
  });

  it('decodes percent-encoding and escapes only when they stand for an ASCII character, character references as HTML does', () => {
    expect(normalizeForMatching('%E2%80%8B %80 \\a').text).toBe('%E2%80%8B %80 \\a');
    expect(normalizeForMatching('&#128; &#x80; &euro; &#0;').text).toBe('\u20ac \u20ac \u20ac \ufffd');
  });

  it('treats as invisible exactly the default-ignorable code points and the format characters (Cf)', () => {
    const differs: number[] = [];
    const cf = /^[\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
    for (let cp = 0; cp <= 0x10ffff; cp += 1) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      if (isInvisible(cp) !== cf.test(String.fromCodePoint(cp))) differs.push(cp);
    }
    expect(differs.map((cp) => cp.toString(16))).toEqual([]);
  });

  it('keeps tokens that were never hidden exactly as before', () => {
    const text = `a ${fake.glpat} b ${tokenBody(5)}`;
    expect(spans(text)).toEqual([fake.glpat]);
  });
});
