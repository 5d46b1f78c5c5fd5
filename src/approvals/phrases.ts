// Does a comment state approval, by its writer, now? A sentence of the writer's own words
// (see ownWords.ts) that holds a configured phrase (whole words, any case) and that none of
// the sentence rules (statementRules.ts) rules out.

import { ownWords } from './ownWords.js';
import { STATEMENT_RULES, WINDOW_WORDS, type StatementRule } from './statementRules.js';

export type Reading = { approves: true; phrase: string } | { approves: false; why: string | null };

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function phrasePattern(phrases: readonly string[]): RegExp {
  const alternatives = [...phrases].sort((a, b) => b.length - a.length).map((p) => escape(p).replace(/\s+/g, '\\s+'));
  // Emphasis is not parsed, so `_Approved_` keeps its underscores: they do not join words here.
  return new RegExp(`(?<![\\p{L}\\p{N}-])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}-])`, 'giu');
}

/** The last `n` words of a text, or its first `n`: the rules' window. */
function lastWords(text: string, n: number): string {
  const words = text.slice(-n * 30).split(/(?<=\s)/);
  return words.slice(-n).join('');
}
function firstWords(text: string, n: number): string {
  return text.slice(0, n * 30);
}

/** Sentences: up to `.`, `!`, `?` or a line break, the terminator kept (a question is told by it). */
const SENTENCE = /[^.!?\n]+[.!?]*/g;

function rulesAgainst(sentence: string, index: number, phrase: string): StatementRule | undefined {
  const before = sentence.slice(0, index);
  const after = sentence.slice(index + phrase.length);
  const clause = before.split(/[,;:—–]|\s-\s/).pop() ?? '';
  const isVerb = /^approv/i.test(phrase);
  return STATEMENT_RULES.find((rule) => {
    if (rule.verbsOnly && !isVerb) return false;
    switch (rule.looksAt) {
      case 'sentence-end':
        return rule.pattern.test(after.replace(/[\s\p{Extended_Pictographic}\uFE0F]+$/u, ''));
      case 'clause-before':
        return rule.pattern.test(lastWords(clause, WINDOW_WORDS));
      case 'sentence-before':
        return rule.pattern.test(lastWords(before, WINDOW_WORDS));
      case 'sentence-after':
        return rule.pattern.test(firstWords(after, WINDOW_WORDS));
    }
  });
}

/** Reads a comment: the first approving statement, or why the phrases it holds do not count (null: it holds none). */
export function readApproval(body: string, phrases: readonly string[]): Reading {
  const pattern = phrasePattern(phrases);
  const anyPhrase = new RegExp(pattern.source, 'iu');
  const holds = (text: string) => anyPhrase.test(text);
  let why: string | null = null;
  for (const text of ownWords(body, holds)) {
    for (const [sentence] of text.matchAll(SENTENCE)) {
      for (const match of sentence.matchAll(pattern)) {
        const rule = rulesAgainst(sentence, match.index, match[0]);
        if (!rule) return { approves: true, phrase: phrases.find((p) => phrasePattern([p]).test(match[0])) ?? match[0] };
        why ??= rule.why;
      }
    }
  }
  return { approves: false, why };
}

/** The first configured phrase the comment approves with, or null. */
export function approvingPhrase(body: string, phrases: readonly string[]): string | null {
  const reading = readApproval(body, phrases);
  return reading.approves ? reading.phrase : null;
}
