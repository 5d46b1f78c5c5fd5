// What makes a clause holding an approving phrase an approval by its writer, now, as data.
// The reader (phrases.ts) looks at each such clause:
// - its lead-in (the words before the phrase in its clause) may hold only words that keep it
//   the writer's own statement (LEAD_INS): a subject "I"/"we", a greeting or thanks, a mention
//   of whom it is addressed to, a few adverbs. Any other word (a name, "the", "legal", "has")
//   makes it something else than a statement, and fails closed;
// - CLAUSE_RULES look at small windows around the phrase for questions, negations, promises,
//   conditions, hedges and reports;
// - HOLDS look at the whole comment: a comment that holds the merge request back ("don't merge
//   yet", "waiting on @bob", "needs changes") states no approval, whatever else it says.
// A clause ruled out as a question, negation, promise, condition or hedge also holds the whole
// comment back: when in doubt, the gate does not pass.
// To change what counts, edit the data here and add comments to
// tests/approvals/managerComments.ts, both ways.

/** How an approving phrase is used: decides which lead-ins it may have. */
export type PhraseUse = 'base' | 'participle' | 'progressive' | 'statement';

/** The kind of a phrase: "approve" needs a subject, "approved"/"approving" stand alone, any other phrase ("LGTM") is a statement. */
export function phraseUse(phrase: string): PhraseUse {
  if (/^approve$/i.test(phrase)) return 'base';
  if (/^approv\w*ed$/i.test(phrase)) return 'participle';
  if (/^approv\w*ing$/i.test(phrase)) return 'progressive';
  return 'statement';
}

/** What a ruled-out clause is; the first five hold the whole comment back. */
export type Rejection = 'question' | 'negation' | 'promise' | 'condition' | 'hedge' | 'report' | 'quoted' | 'not-a-statement';

export const HOLDS_COMMENT_BACK: ReadonlySet<Rejection> = new Set(['question', 'negation', 'promise', 'condition', 'hedge']);

/** Why a clause does not count, as the bot's note says it. */
export const WHY: Record<Rejection, string> = {
  question: 'it asks a question',
  negation: 'it is negated',
  promise: 'it promises, asks for or waits for an approval rather than giving one',
  condition: 'it is conditional',
  hedge: 'it approves only so far or only in part',
  report: "it reports someone else's approval",
  quoted: 'it quotes the word rather than stating it',
  'not-a-statement': "it uses the word without stating approval in the writer's own voice",
};

/** Lead-in words that turn a clause into something else than a statement, by kind; checked before the allowed words. */
export const LEAD_BREAKERS: { kind: Rejection; words: readonly string[]; endings?: readonly string[] }[] = [
  {
    kind: 'negation',
    words: ['not', 'no', 'never', 'nor', 'neither', 'cannot', 'without', 'hardly', 'nobody', 'none', 'nothing', 'dont', 'wont', 'cant'],
    endings: ["n't"],
  },
  {
    kind: 'promise',
    words: [
      ...['will', 'shall', 'would', 'could', 'can', 'should', 'might', 'may', 'must', 'going', 'gonna', 'want', 'wanna', 'hope', 'expect'],
      ...['happy', 'glad', 'ready', 'able', 'about', 'plan', 'planning', 'need', 'needs', 'to', 'please', 'pls', 'let', 'waiting', 'wait'],
      ...['ask', 'asked', 'asking', 'request', 'requesting', 'before', 'after', 'until', 'when', 'whether', 'soon', 'later', 'tomorrow'],
    ],
    endings: ["'ll", "'d"],
  },
  { kind: 'condition', words: ['if', 'unless', 'provided', 'assuming', 'once', 'otherwise'] },
];

/** Words that may stand before an approving phrase in its clause and keep it the writer's statement. */
export const LEAD_INS: Record<'any' | 'greeting' | PhraseUse, readonly string[]> = {
  /** Before any phrase: interjections, thanks, connectives, what the writer did before approving. */
  any: [
    ...['ok', 'okay', 'yes', 'yep', 'yup', 'yeah', 'sure', 'great', 'good', 'cool', 'nice', 'perfect', 'awesome', 'excellent', 'lovely', 'brilliant'],
    ...['fantastic', 'wonderful', 'done', 'fine', 'alright', 'right', 'so', 'also', 'and', 'but', 'now', 'then', 'overall', 'honestly', 'anyway', 'well'],
    ...['all', 'again', 'finally', 'ah', 'oh', 'cheers', 'ty', 'thx', 'reviewed', 're-reviewed', 'checked', 'rechecked', 'read', 'tested', 'verified'],
    ...['looked', 'resolved', 'still'],
  ],
  /** May be followed by the name or mention of whom they address ("Thanks Alice", "Thank you @bob", "Hi team"). */
  greeting: ['thanks', 'thank', 'hi', 'hey', 'hello', 'cc'],
  /** "approve": only with the writer as its subject. */
  base: ['i', 'we', 'hereby', 'fully', 'do', 'officially', 'formally', 'therefore', 'hence'],
  /** "approved": alone, or "I have approved". */
  participle: ['i', 'we', 'have', "i've", "we've", 'just', 'already', 'hereby', 'fully', 'officially', 'formally'],
  /** "approving": alone, or "I'm approving". */
  progressive: ['i', 'we', 'am', 'are', "i'm", "we're", 'hereby', 'officially'],
  /** "LGTM", "looks good to me": with what it is about. */
  statement: [
    'i',
    'think',
    'this',
    'it',
    'that',
    'everything',
    'the',
    'these',
    'change',
    'changes',
    'mr',
    'update',
    'updates',
    'wording',
    'page',
    'really',
    'definitely',
    'totally',
  ],
};

/** Subjects that make "approve" a statement. */
export const WRITER_SUBJECTS: readonly string[] = ['i', 'we'];

/**
 * Words that may directly follow "approved" / "approving" with no subject before it ("Approved
 * for Support", "Approved this"); any other word makes it an adjective ("approved templates list").
 */
export const AFTER_PARTICIPLE: readonly string[] = [
  ...['by', 'from', 'for', 'on', 'in', 'with', 'as', 'and', 'now', 'already', 'this', 'it', 'that', 'here', 'too', 'again', 'thanks', 'thank'],
  ...['ty', 'all', 'both', 'everything', 'the', 'these', 'those', 'overall', 'anyway', 'then', 'so', 'but', 'though', 'cheers', 'lgtm'],
];

export interface ClauseRule {
  name: string;
  kind: Rejection;
  /** The sentence's text after the phrase, or the sentence before the phrase's clause. */
  looksAt: 'after' | 'sentence-before';
  pattern: RegExp;
  /** Comments as Support managers write them, which this rule keeps from counting. */
  examples: string[];
}

/** "when ready" / "whenever you like" leave the merge to the author; any other "when" waits for something. */
const WHEN = String.raw`when(?:ever)?(?!\s+(?:you(?:'re|\s+are)\s+)?ready\b|\s+you\s+(?:like|want|can)\b)`;
const CONDITIONS = `if|once|unless|provided|providing|assuming|pending|until|till|${WHEN}|as soon as|as long as|subject to|on condition|conditional|contingent|modulo|except|apart from|other than|otherwise|barring|given that`;
/** "after" a step to come is a condition; "after the latest push" is when the writer looked. */
const AFTER_TO_COME = String.raw`after(?!\s+(?:the|your|this|these|that)\s+(?:latest|last|recent|newest|most recent|new)\b)`;

export const CLAUSE_RULES: readonly ClauseRule[] = [
  {
    name: 'by someone else',
    kind: 'report',
    looksAt: 'after',
    pattern: /^[^,;:.!?]{0,40}?\bby\s+(?!me\b|myself\b|us\b|(?:the\s+)?(?:end|eod|eow|tomorrow|today|monday|tuesday|wednesday|thursday|friday)\b)/i,
    examples: ['Approved by legal', 'Approved by @alice in Slack', 'Approved in Slack by @lee'],
  },
  {
    name: 'from someone else',
    kind: 'report',
    looksAt: 'after',
    // A name ("from Bob", "from @bob"); not "from me", "from the Support side", "from APAC".
    pattern: /^\s*from\s+(?!(?:Me|My|Us|Our|The|Support)\b)(?:@[\w.-]+|[A-Z][a-z][\w'-]*)/,
    examples: ['LGTM from Bob (pasted from Slack)', 'Approved from @lee in the sync'],
  },
  {
    name: 'negated after',
    kind: 'negation',
    looksAt: 'after',
    pattern: /^[\s,;:.!—–-]*(?:not\b|nope\b|jk\b|just kidding\b|\/s\b|no[\s.!]*$)/i,
    examples: ['LGTM — not.', 'LGTM /s', 'Approved? No.'],
  },
  {
    name: 'condition after',
    kind: 'condition',
    looksAt: 'after',
    // Within three words of the phrase, or opening a later clause of the sentence.
    pattern: new RegExp(
      String.raw`^\W*(?:[\w'’]+\W+){0,3}?(?:${CONDITIONS}|${AFTER_TO_COME})\b|[,;:(—–]\s*(?:(?:but|and|only|just|though|then)\s+){0,2}(?:${CONDITIONS}|${AFTER_TO_COME})\b`,
      'i',
    ),
    examples: [
      'LGTM if CI passes',
      'Approved once the screenshot is updated',
      'LGTM pending the legal review',
      'LGTM after the typo fix',
      'Approved, but only once legal signs off',
    ],
  },
  {
    name: 'with a fix to come',
    kind: 'condition',
    looksAt: 'after',
    pattern: /^\W*(?:[\w'’]+\W+){0,2}?with\b[^,;:.!?]{0,60}?\b(?:fixed|addressed|resolved|updated|changed|removed|added|corrected|applied|done)\b/i,
    examples: ['LGTM with the typo fixed', 'Approved with the links updated'],
  },
  {
    name: 'so far',
    kind: 'hedge',
    looksAt: 'after',
    pattern:
      /^\W*(?:[\w'’]+\W+){0,3}?(?:so far|at first glance|at a glance|at first sight|for now|on a first read|mostly|partially|partly|in principle|in general|generally|for the most part|(?:on|for)\s+the\s+(?:content|idea|concept|approach|principle|structure))\b|^\W*(?:[\w'’]+\W+){0,4}?only\s*(?:[.,;:!)]|$)/i,
    examples: [
      'LGTM so far',
      'Looks good to me at first glance, still reading',
      'LGTM in principle',
      'I approved the first section only.',
      'LGTM in general, some comments inline',
      'Looks good to me on the content',
    ],
  },
  {
    name: 'condition before',
    kind: 'condition',
    looksAt: 'sentence-before',
    pattern: /\b(?:if|unless|once|when|whenever|provided|assuming|until|otherwise)\b/i,
    examples: ['If the links work, approved', 'Unless Legal objects, LGTM', 'Once the typo is fixed: approved.'],
  },
  {
    name: 'reported before',
    kind: 'report',
    looksAt: 'sentence-before',
    pattern: /\b(?:per|according|said|says|wrote|writes|quoting)\b/i,
    examples: ['Per @bob: LGTM', 'Alice wrote in Slack: approved'],
  },
];

export interface Hold {
  name: string;
  pattern: RegExp;
  why: string;
  examples: string[];
}

const NOT_BEFORE = String.raw`(?<!\b(?:non|not|no|none|nothing|isn't|is not|aren't|doesn't|does not|un)[\s-]?(?:an?\s+)?)`;

/** Anywhere in a comment's own words: it holds the merge request back, so no approval in it counts. */
export const HOLDS: readonly Hold[] = [
  {
    name: 'do not merge',
    pattern: /\b(?:do not|don't|dont|doesn't|not|shouldn't|can't|cannot|won't|no)\s+(?:[\w']+\s+){0,2}?merg(?:e|ed|ing)\b/i,
    why: 'it asks not to merge yet',
    examples: ['LGTM. Please don’t merge yet.', 'Approved, but do not merge until Monday'],
  },
  {
    name: 'before merging',
    pattern: /\b(?:before|prior to)\s+(?:(?:we|you|it|this|it's|it is|this is|this gets|it gets)\s+){0,2}merg(?:e|ed|ing)\b/i,
    why: 'it asks for something before merging',
    examples: ['LGTM, but please fix the typo before merging.', 'Approved. Update the screenshot before we merge.'],
  },
  {
    name: 'not ready',
    pattern: /\b(?:not|isn't|aren't)\s+(?:yet\s+|quite\s+)?(?:ready|mergeable|good to go|done)\b/i,
    why: 'it says the merge request is not ready',
    examples: ['LGTM but not ready to merge', 'Approved, though it is not quite done'],
  },
  {
    name: 'not yet',
    pattern: /\b(?:not\s+yet|not\s+any\s?more|no\s+longer)\b/i,
    why: 'it says not yet',
    examples: ['I approve, but not yet', 'Approved last week, but not anymore after the push.'],
  },
  {
    name: 'older content',
    pattern:
      /\bpreviously\s+approved\b|\b(?:approv\w*|looked at|reviewed|lgtm(?:\s+(?:on|for))?)\s+(?:only\s+)?(?:the\s+|an\s+|your\s+)?(?:previous|earlier|older|old|first)\s+(?:version|revision|iteration|draft|push)\b/i,
    why: 'it is about an earlier version',
    examples: ['Approved the previous version; the new push changes the SLA table.'],
  },
  {
    name: 'not checked',
    pattern:
      /\b(?:haven't|have not|hasn't|has not|didn't|did not|couldn't|could not|not yet)\s+(?:yet\s+|fully\s+|properly\s+)?(?:tested|checked|read|reviewed|looked|verified|tried|gone through|had time)\b/i,
    why: 'it says something was not checked',
    examples: ["LGTM, but I haven't tested the links", 'Approved, though I did not read section 4'],
  },
  {
    name: 'something broken',
    pattern: /\bbut\b[^.!?\n]{0,60}?\b(?:is|are|still|seems?|looks?)\s+(?:still\s+)?(?:failing|failed|broken|red|wrong|incorrect|missing|outdated|off)\b/i,
    why: 'it says something is still wrong',
    examples: ['LGTM, but the pipeline is failing', 'Approved, but the second link is still broken'],
  },
  {
    name: 'taken back',
    pattern: /\b(?:just kidding|jk|scratch that|never\s?mind|on second thought|actually,?\s+no)\b/i,
    why: 'it takes the approval back',
    examples: ['Approved... just kidding, one more thing', 'LGTM. Actually, no: the table is wrong.'],
  },
  {
    name: 'concerns',
    pattern: /\b(?:still\s+)?(?:have|has|got)\s+(?:some\s+|a\s+few\s+|a\s+couple\s+of\s+|serious\s+|real\s+)?(?:concerns|doubts|reservations)\b/i,
    why: 'it raises a concern',
    examples: ['Approved, although I still have concerns about section 3.'],
  },
  {
    name: 'hold',
    pattern: /\b(?:hold off|holding off|on hold|hold on)\b/i,
    why: 'it puts the merge request on hold',
    examples: ['Approved, but please hold off merging until Monday.', 'Approving, though this is on hold until the reorg.'],
  },
  {
    name: 'waiting',
    // Not "thanks for waiting on me", "no need to wait for".
    pattern: /(?<!\b(?:for|to)\s)\b(?:wait(?:ing|s)?\s+(?:for|on|until|till)|(?:let's|lets|please|pls)\s+wait)\b|\bwait[,.!]/i,
    why: 'it waits for someone or something',
    examples: ['LGTM from me but waiting on @bob', 'LGTM, still waiting for the docs team though.', 'Approved! Oh wait, the link is broken.'],
  },
  {
    name: 'needs more',
    pattern:
      /(?<!\b(?:doesn't|does not|don't|do not|no|won't)\s)\bneeds?\s+(?:(?:a|an|some|more|another|further|one more|minor|small|a few|few|one|to be|to get|to)\s+){0,3}(?:changes?|work|fix(?:es|ing)?|reviews?|approvals?|looks?|tweaks?|updates?|edits?|rework|addressed|fixed|changed|updated|reviewed|approved|approve|another)\b/i,
    why: 'it says more is needed',
    examples: ['LGTM but needs changes', 'Looks good to me, but it needs another review.', 'Approved, but @bob needs to approve too.'],
  },
  {
    name: 'someone else first',
    pattern:
      /\b(?:let me|want|wants|like|need|needs|have to|has to)\b[^.!?\n]{0,60}?(?<!\bthe\s)\bfirst\b|\b(?:want|wants|like)\s+(?:@?[\w.-]+\s+){0,3}?to\s+(?:also\s+)?(?:take\s+a\s+look|have\s+a\s+look|look|review|check|double[\s-]check|verify|test|approve|weigh\s+in|see|confirm|sign\s+off)\b|(?<!\b(?:no|need|needs)\s)\b(?:second|another|2nd)\s+(?:opinion|pair\s+of\s+eyes|look|reviewer|review|approval|approver)\b/i,
    why: 'it wants a check or someone else first',
    examples: [
      'LGTM but let me check with the team first',
      'LGTM, though I want @jo to take a look too',
      "Approved, but I'd like @kim to double-check the numbers.",
      "LGTM but let's get a second opinion",
    ],
  },
  {
    name: 'changes requested',
    pattern: /\b(?:request(?:s|ed|ing)?|requires?|required)\s+(?:some\s+|a few\s+|minor\s+)?changes\b|(?<!\bno\s)\bchanges\s+(?:are\s+)?(?:requested|required|needed)\b/i,
    why: 'it requests changes',
    examples: ['Approved, but requested changes on the table.'],
  },
  {
    name: 'blocking',
    pattern: new RegExp(String.raw`${NOT_BEFORE}\b(?:blocking|blockers?|blocked|blocks)\b`, 'i'),
    why: 'it names something blocking',
    examples: ['LGTM overall, but one blocker: the link is wrong.', 'Approved from my side, but this is blocked on legal.'],
  },
];
