import { describe, expect, it } from 'vitest';
import { neutralize } from '../../src/render/neutralize.js';
import { createRenderer } from '../../src/render/renderer.js';
import { fake, pemBlock } from './fakeSecrets.js';

// Quoted user text (titles listed in a note, say) passes through `neutralize`:
// a secret in it never reaches a bot note.

describe('quoted text and secrets', () => {
  it('redacts a token and a private key in quoted text, and keeps the rest', () => {
    expect(neutralize(`Runner ${fake.glrt} fails`)).toBe('Runner [REDACTED] fails');
    expect(neutralize(`key:\n${pemBlock()}\nend`)).toBe('key:\n[REDACTED]\nend');
  });

  it('finds a token split by an HTML comment once the comment is gone', () => {
    const split = `${fake.glpat.slice(0, 10)}<!-- -->${fake.glpat.slice(10)}`;
    expect(neutralize(split)).toBe('[REDACTED]');
  });

  it('holds through the {{quote}} helper of every message', () => {
    const render = createRenderer({ listing: '- {{quote title}}' });
    const out = render.render('listing', { title: `Use ${fake.gldt} @all` });
    expect(out).not.toContain(fake.gldt);
    expect(out).toContain('[REDACTED]');
    expect(out).not.toMatch(/(^|[^A-Za-z0-9_])@all/);
  });
});
