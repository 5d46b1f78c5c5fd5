import { describe, expect, it } from 'vitest';
import { botNotesWithKey } from '../../src/engine/handlers/notes.js';
import { sameUsername, UsernameSet } from '../../src/gitlab/usernames.js';

// GitLab usernames are case-insensitive (app/models/user.rb, `find_by_username` lower-cases both
// sides): every comparison the bot makes treats `Support-Bot` and `support-bot` as one user.

const SAME: Array<[string, string]> = [
  ['support-bot', 'support-bot'],
  ['Support-Bot', 'support-bot'],
  ['SUPPORT-BOT', 'support-bot'],
  ['support-Bot', 'SUPPORT-bot'],
  ['Dana.Ops_1', 'dana.ops_1'],
  ['ÉLODIE', 'élodie'],
];
const DIFFERENT: Array<[string, string]> = [
  ['support-bot', 'support_bot'],
  ['support-bot', 'support-bot2'],
  ['support-bot', ' support-bot'],
  ['dana', 'dan'],
];

describe('sameUsername', () => {
  it.each(SAME)('%s is %s', (a, b) => expect(sameUsername(a, b)).toBe(true));
  it.each(DIFFERENT)('%s is not %s', (a, b) => expect(sameUsername(a, b)).toBe(false));
  it('an absent name is nobody', () => {
    expect(sameUsername(undefined, 'support-bot')).toBe(false);
    expect(sameUsername('support-bot', undefined)).toBe(false);
  });
});

describe('UsernameSet (the team and the approvers)', () => {
  it.each(SAME)('holding %s, it has %s', (a, b) => expect(new UsernameSet([a]).has(b)).toBe(true));
  it.each(DIFFERENT)('holding %s, it has not %s', (a, b) => expect(new UsernameSet([a]).has(b)).toBe(false));
  it('keeps one entry per user, spelled as first added, and deletes in any case', () => {
    const set = new UsernameSet(['Alice', 'alice', 'Bob']);
    expect([...set]).toEqual(['Alice', 'Bob']);
    expect(set.size).toBe(2);
    expect(set.delete('ALICE')).toBe(true);
    expect([...set]).toEqual(['Bob']);
    expect(set.has('alice')).toBe(false);
  });
});

describe("the bot's own notes", () => {
  it.each(SAME)('a note by %s is the bot’s own when the bot is %s', (author, bot) => {
    const note = { id: 1, body: '<!-- support-bot:greet -->\nHello', system: false, author: { id: 2, username: author }, createdAt: new Date(0), updatedAt: new Date(0) };
    expect(botNotesWithKey(bot, [note as never], 'greet')).toHaveLength(1);
  });
});
