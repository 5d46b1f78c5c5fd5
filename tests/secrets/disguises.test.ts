import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../src/secrets/detectors.js';
import { redact } from '../../src/secrets/redact.js';
import { DISGUISES } from './disguises.js';
import { fake } from './fakeSecrets.js';

// Issue 21, case 4: every disguise of the corpus is found and redacted whole, as written,
// and nothing else of the text changes.

const redactAll = (text: string) => redact(text, findSecrets(text), '[REDACTED]');

describe('the disguise corpus', () => {
  it('holds at least 60 disguises, each named once', () => {
    expect(DISGUISES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(DISGUISES.map((d) => d.name)).size).toBe(DISGUISES.length);
  });

  it.each(DISGUISES.map((d) => [d.name, d] as const))('%s: found and redacted whole', (_name, d) => {
    expect(d.text).toContain(d.written);
    expect(redactAll(d.text)).toBe(d.text.replace(d.written, '[REDACTED]'));
  });
});

describe('homoglyphs that NFKC does not fold are not read as the letters they resemble', () => {
  // GitLab shows a Cyrillic `а` or a Greek `ο` as itself: what a reader copies is not the token,
  // and folding them would need a hand list of look-alikes (Unicode's confusables) for every script.
  it.each([
    ['Cyrillic a in the body', fake.glpat.replace('aG1', '\u0430G1')],
    ['Cyrillic e and o in the body', `glpat-${'\u0435\u043e'.repeat(10)}`],
    ['Greek omicron in the body', `glpat-${'\u03bf1'.repeat(10)}`],
  ])('%s: the body stops at the look-alike, so no 20 characters follow the prefix', (_name, written) => {
    expect(findSecrets(`My token is ${written} and it fails.`)).toEqual([]);
  });
});

describe('what is not a disguise stays as written', () => {
  it.each([
    ['a placeholder tag after a password label', 'password: <your password>\nabc123def is the build id'],
    ['emphasis between words', 'Use **bold** and `code` and ~~old~~ text; 5*3 = 15'],
    ['tags between words', 'Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, see <a href="https://example.com">docs</a>'],
    ['character references in prose', 'Fish &amp; chips &mdash; 5 &lt; 6, &foo; stays, &#xZZ; too'],
    ['an unclosed comment', 'text <!-- never closed glpat-short and more <!-- again'],
    ['fullwidth prose', 'ＡＢＣ　ｄｅｆ － ghi'],
    ['a short prefix split over lines', 'glpat-abc\nhello\nworld'],
    ['a table of token prefixes', '| prefix | token |\n|---|---|\n| glpat- | personal access token |\n| glpat-xxxx | an example |'],
    ['letters standing alone in prose', 'Options a b c d e f g h i j k l m n o p q r s t u v w x y z, then glpat - 1 2 3'],
    ['no-break spaces in prose', 'See glpat-abc\u00a0for example\u00a0and\u202fmore'],
    ['a link after a short prefix', 'Create one: [glpat-](https://docs.gitlab.com/user/profile/personal_access_tokens)abc'],
    ['combining marks in words', 'Cafe\u0301 and nai\u0308ve'],
  ])('%s', (_name, text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it('redacts a token followed by emphasis, tags and lines without taking them', () => {
    const text = `**${fake.glpat}** and <b>${fake.glpat}</b>\n${fake.glpat}\nThanks`;
    expect(redactAll(text)).toBe('**[REDACTED]** and <b>[REDACTED]</b>\n[REDACTED]\nThanks');
  });
});
