import { describe, expect, it } from 'vitest';
import { neutralize } from '../../src/render/neutralize.js';
import { createRenderer } from '../../src/render/renderer.js';

// GitLab's own rules, as the bot must defeat them: a quick action is a line starting
// with `/command`; a mention is `@name` not preceded by a word character.
const QUICK_ACTION_LINE = /(?:^|[\r\n])[^\S\r\n]*\/[a-z_]/i;
const MENTION = /(?<![A-Za-z0-9_])@[A-Za-z0-9_]/;
const ZWSP = '\u200b';
const visible = (text: string) => text.replaceAll(ZWSP, '');

describe('neutralize: quick actions', () => {
  it.each([
    ['at the start', '/close'],
    ['on a later line', 'Please look.\n/label ~"triage::ready"'],
    ['after CRLF', 'Please look.\r\n/close'],
    ['after a lone CR', 'Please look.\r/close'],
    ['indented with spaces', 'text\n   /assign @alice'],
    ['indented with a tab', 'text\n\t/close'],
    ['in capitals', 'text\n/CLOSE'],
    ['with an underscore command', 'text\n/remove_due_date'],
  ])('%s no longer starts a line', (_where, text) => {
    const out = neutralize(text);
    expect(out).not.toMatch(QUICK_ACTION_LINE);
    expect(visible(out)).toBe(text);
  });

  it('leaves slashes inside a line (paths, URLs, fractions) untouched', () => {
    const text = 'See https://gitlab.com/a/b and src/close.rb, 1/2 done';
    expect(neutralize(text)).toBe(text);
  });
});

describe('neutralize: mentions', () => {
  it.each(['@all', '@here', '@alice', '@gitlab-com/support', '@gitlab-com/support/managers', 'Hi @all!', '(@bob)', 'cc:@carol'])('makes %j inert', (text) => {
    const out = neutralize(text);
    expect(out).not.toMatch(MENTION);
    expect(visible(out)).toBe(text);
  });

  it('stays inert inside an existing code span (backticks would reopen it)', () => {
    const out = neutralize('run `echo @all` now');
    expect(out).not.toMatch(MENTION);
    expect(visible(out)).toBe('run `echo @all` now');
  });

  it('leaves e-mail addresses and lone @ signs alone', () => {
    expect(neutralize('write to support@gitlab.com @ 10am')).toBe('write to support@gitlab.com @ 10am');
  });
});

describe('neutralize: HTML comments', () => {
  it('strips closed comments, several and multi-line', () => {
    expect(neutralize('a<!-- one -->b<!--\ntwo\n-->c')).toBe('abc');
  });

  it('strips an unterminated comment to the end of the text', () => {
    expect(neutralize('visible <!-- hidden /close @all')).toBe('visible ');
  });

  it('does not let a comment hide a quick action that follows it', () => {
    expect(neutralize('<!-- x -->\n/close')).not.toMatch(QUICK_ACTION_LINE);
    expect(neutralize('<!-- x -->/close')).not.toMatch(QUICK_ACTION_LINE);
  });
});

describe('neutralize: odd input', () => {
  it('handles empty, plain and huge text', () => {
    expect(neutralize('')).toBe('');
    expect(neutralize('nothing special')).toBe('nothing special');
    const huge = '/close @all <!-- x --> text\r\n'.repeat(50_000) + '<!-- never closed';
    const started = performance.now();
    const out = neutralize(huge);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(out).not.toMatch(QUICK_ACTION_LINE);
    expect(out).not.toMatch(MENTION);
    expect(out).not.toContain('<!--');
  });
});

describe('{{quote}} in message templates', () => {
  it('neutralises what it quotes, and only that', () => {
    const renderer = createRenderer({ listing: '- [#{{iid}}]({{url}}) {{quote title}}' });
    const body = renderer.render('listing', { iid: 1, url: 'https://gitlab.example.com/i/1', title: 'Fix it\n/close @all <!-- hidden' });
    expect(body).not.toMatch(QUICK_ACTION_LINE);
    expect(body).not.toMatch(MENTION);
    expect(body).not.toContain('hidden');
    expect(body.startsWith('- [#1](https://gitlab.example.com/i/1) Fix it')).toBe(true);
  });
});
