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

describe('what is not a disguise stays as written', () => {
  it.each([
    ['a placeholder tag after a password label', 'password: <your password>\nabc123def is the build id'],
    ['emphasis between words', 'Use **bold** and `code` and ~~old~~ text; 5*3 = 15'],
    ['tags between words', 'Press <kbd>Ctrl</kbd>+<kbd>C</kbd>, see <a href="https://example.com">docs</a>'],
    ['character references in prose', 'Fish &amp; chips &mdash; 5 &lt; 6, &foo; stays, &#xZZ; too'],
    ['an unclosed comment', 'text <!-- never closed glpat-short and more <!-- again'],
    ['fullwidth prose', 'ＡＢＣ　ｄｅｆ － ghi'],
    ['a short prefix split over lines', 'glpat-abc\nhello\nworld'],
  ])('%s', (_name, text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it('redacts a token followed by emphasis, tags and lines without taking them', () => {
    const text = `**${fake.glpat}** and <b>${fake.glpat}</b>\n${fake.glpat}\nThanks`;
    expect(redactAll(text)).toBe('**[REDACTED]** and <b>[REDACTED]</b>\n[REDACTED]\nThanks');
  });
});
