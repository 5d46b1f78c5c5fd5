// Does a comment state approval, by its writer, now? Its own words (ownWords.ts) are cut into
// sentences and clauses; a clause holding a configured phrase (whole words, any case) approves
// when it is the writer's unconditioned statement (statementRules.ts), and the comment approves
// when one clause does and nothing in it holds the merge request back. Every look is a bounded
// window or one regular-expression pass, so reading stays linear in the comment's length.

import { escapeRegExp } from '../text/regexp.js';
import { ownWords } from './ownWords.js';
import {
  AFTER_PARTICIPLE,
  CLAUSE_RULES,
  HOLDS,
  HOLDS_COMMENT_BACK,
  LEAD_BREAKERS,
  LEAD_INS,
  phraseUse,
  WHY,
  WRITER_SUBJECTS,
  type PhraseUse,
  type Rejection,
} from './statementRules.js';

export type Reading = { approves: true; phrase: string } | { approves: false; why: string | null };

function phrasePattern(phrases: readonly string[]): RegExp {
  const alternatives = [...phrases].sort((a, b) => b.length - a.length).map((p) => escapeRegExp(p).replace(/\s+/g, '\\s+'));
  // Emphasis is not parsed, so `_Approved_` keeps its underscores: they do not join words here.
  return new RegExp(`(?<![\\p{L}\\p{N}-])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}-])`, 'giu');
}

/** Sentences: up to `.`, `!`, `?` or a line break, the terminator kept (a question is told by it). */
const SENTENCE = /[^.!?\n]+[.!?]*/g;
/** Where a clause starts: after a comma, semicolon, colon, bracket or dash, at "but"/"though", or at "and I". */
const CLAUSE_BREAK = /[,;:()—–]|\s-\s|\s(?=(?:but|though|although|however)\b)|\s(?=and\s+(?:i|we)\b)/gi;
/** How far around a phrase its clause is read, in characters. */
const WINDOW_CHARS = 200;
/** A lead-in longer than this is no clause opening: the phrase is inside a longer sentence. */
const MAX_LEAD_WORDS = 8;
const QUOTES_OPEN = /["“‘'«][*_]*$/;
const QUOTES_CLOSE = /^[*_]*["”’'»]/;
const EMOJI_ONLY = /^(?::[\w+-]+:|[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F\u200D]+|\+1)+$/u;

const LEAD_WORDS = Object.fromEntries(Object.entries(LEAD_INS).map(([use, words]) => [use, new Set(words)])) as Record<keyof typeof LEAD_INS, Set<string>>;
const AFTER_WORDS = new Set(AFTER_PARTICIPLE);

function breaker(word: string): Rejection | null {
  const found = LEAD_BREAKERS.find(({ words, endings }) => words.includes(word) || endings?.some((e) => word.endsWith(e)));
  return found ? found.kind : null;
}

/** Whether the words before the phrase in its clause keep it the writer's own statement; else why not. */
function judgeLead(lead: string, use: PhraseUse): Rejection | null {
  const words = lead
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}@+:']+|[^\p{L}\p{N}:+']+$/gu, '').toLowerCase())
    .filter((w) => w !== '' && !EMOJI_ONLY.test(w));
  if (words.length > MAX_LEAD_WORDS) return 'not-a-statement';
  for (const word of words) {
    const kind = breaker(word);
    if (kind) return kind;
  }
  let addressed = false;
  let subject = false;
  for (const [i, word] of words.entries()) {
    const afterGreeting = i > 0 && LEAD_WORDS.greeting.has(words[i - 1]!);
    if (word.startsWith('@')) {
      // "@bob LGTM" addresses Bob; "@bob approved" reports Bob's approval.
      if (use !== 'statement' && !afterGreeting) return 'report';
      continue;
    }
    if (WRITER_SUBJECTS.includes(word) || word === "i've" || word === "i'm" || word === "we've" || word === "we're") subject = true;
    if (LEAD_WORDS.any.has(word) || LEAD_WORDS.greeting.has(word) || LEAD_WORDS[use].has(word)) continue;
    // "Thank you", "Thanks Alice", "Hi team": whom a greeting addresses.
    if (afterGreeting && !addressed) {
      addressed = true;
      continue;
    }
    return 'not-a-statement';
  }
  return use === 'base' && !subject ? 'not-a-statement' : null;
}

/** "approved templates list": with no subject, a word after "approved" that is not a complement makes it an adjective. */
function usedAsAdjective(after: string, use: PhraseUse, lead: string): boolean {
  if (use !== 'participle' && use !== 'progressive') return false;
  if (/\b(?:i|we|i've|i'm|we've|we're)\b/i.test(lead)) return false;
  const next = /^[ \t]+([a-z][\w'-]*)/.exec(after)?.[1];
  return next !== undefined && !AFTER_WORDS.has(next);
}

/** Why the clause around a phrase is not an approval by its writer, now; null when it is one. */
function judgeClause(sentence: string, index: number, phrase: string): Rejection | null {
  // Windows, not the whole sentence: a paragraph of phrases costs the same per phrase.
  const before = sentence.slice(Math.max(0, index - WINDOW_CHARS), index);
  const after = sentence.slice(index + phrase.length, index + phrase.length + WINDOW_CHARS);
  if (QUOTES_OPEN.test(before) && QUOTES_CLOSE.test(after)) return 'quoted';
  if (/\?[!?\s\p{Extended_Pictographic}\uFE0F]*$/u.test(sentence)) return 'question';
  let clauseStart = 0;
  for (const m of before.matchAll(CLAUSE_BREAK)) clauseStart = m.index + m[0].length;
  const lead = before.slice(clauseStart);
  const use = phraseUse(phrase.replace(/\s+/g, ' '));
  const rule = CLAUSE_RULES.find((r) => r.pattern.test(r.looksAt === 'after' ? after : before.slice(0, clauseStart)));
  const byLead = judgeLead(lead, use);
  // A breaking lead-in ("not", "will") or a condition says more than a report or an adjective.
  if (byLead && HOLDS_COMMENT_BACK.has(byLead)) return byLead;
  if (rule && HOLDS_COMMENT_BACK.has(rule.kind)) return rule.kind;
  if (byLead) return byLead;
  if (rule) return rule.kind;
  return usedAsAdjective(after, use, lead) ? 'not-a-statement' : null;
}

/** Reads a comment: the first approving statement, or why the phrases it holds do not count (null: it holds none). */
export function readApproval(body: string, phrases: readonly string[]): Reading {
  const pattern = phrasePattern(phrases);
  if (!new RegExp(pattern.source, 'iu').test(body)) return { approves: false, why: null };
  const { texts, unread } = ownWords(body);
  let approving: string | null = null;
  let why: string | null = null;
  for (const raw of texts) {
    const text = raw.replace(/’/g, "'");
    for (const [sentence] of text.matchAll(SENTENCE)) {
      for (const match of sentence.matchAll(pattern)) {
        const rejection = judgeClause(sentence, match.index, match[0]);
        if (rejection === null) approving ??= phrases.find((p) => phrasePattern([p]).test(match[0])) ?? match[0];
        else if (HOLDS_COMMENT_BACK.has(rejection)) return { approves: false, why: WHY[rejection] };
        else why ??= WHY[rejection];
      }
    }
    // Nothing after a hold can make the comment count: the first one decides.
    const hold = holdIn(text);
    if (hold) return { approves: false, why: hold };
  }
  // A paragraph too long to parse is still read for a hold, quotes and code included: it can only keep the gate shut.
  for (const block of unread) {
    const hold = holdIn(block.replace(/’/g, "'"));
    if (hold) return { approves: false, why: hold };
  }
  return approving !== null ? { approves: true, phrase: approving } : { approves: false, why };
}

function holdIn(text: string): string | null {
  const hold = HOLDS.find((h) => h.pattern.test(text));
  return hold ? hold.why : null;
}

/** The first configured phrase the comment approves with, or null. */
export function approvingPhrase(body: string, phrases: readonly string[]): string | null {
  const reading = readApproval(body, phrases);
  return reading.approves ? reading.phrase : null;
}
