// The sentence rules of the approval reader, as data: what keeps a sentence that contains an
// approving phrase from being an approval by its writer, now. Each rule looks at a small
// window of words around the phrase (never the whole comment), so reading stays linear.
// To change what counts, edit a rule here and add its comments to
// tests/approvals/statements.test.ts, both ways.

export interface StatementRule {
  /** Short name, used in tests and in the "not counted" reason. */
  name: string;
  /** Where the rule looks: the words of the clause before the phrase, the words of the sentence after it, or the sentence's end. */
  looksAt: 'clause-before' | 'sentence-before' | 'sentence-after' | 'sentence-end';
  /** Matched case-insensitively unless `caseSensitive`. */
  pattern: RegExp;
  /** Only for phrases that are forms of "approve" (a name before "LGTM" addresses someone; before "approved" it is the subject). */
  verbsOnly?: boolean;
  /** Why a matching sentence does not count, as the note says it. */
  why: string;
  /** Comments as Support managers write them, which this rule keeps from counting. */
  examples: string[];
}

/** Words that may stand before "approved" at the start of a clause without being its subject ("Ok approved", "Thanks, approved"). */
const NOT_A_SUBJECT = 'I|Ok|Okay|OK|Yes|Yep|Sure|Great|Good|Done|Fine|Cool|Nice|Thanks|Thank|Also|Now|So|And|Then|Already|Just|All|Overall|Hereby|Fully|Officially';

export const STATEMENT_RULES: readonly StatementRule[] = [
  {
    name: 'question',
    looksAt: 'sentence-end',
    pattern: /\?\s*$/,
    why: 'it asks a question',
    examples: ['Can you approve this?', 'LGTM?', 'Who approved this? Not me.', 'Approved? No.'],
  },
  {
    name: 'negation',
    looksAt: 'clause-before',
    pattern: /\b(?:not|no|never|nor|neither|cannot|without|hardly|nobody|none|dont|wont|cant|\w+n['’]t)\b/i,
    why: 'it is negated',
    examples: ['Not approved yet', "I don't approve this", 'No LGTM from me until the typo is fixed'],
  },
  {
    name: 'promise or request',
    looksAt: 'clause-before',
    pattern:
      /(?:\b(?:will|shall|would|could|can|should|might|may|must|going|gonna|want|wanna|happy|glad|ready|about|plan|planning|need|needs|to|please|pls|let|waiting|wait|ask|asked|asking|request|requesting|before|after|until|once|when|whether)\b|['’](?:ll|d)\b)/i,
    why: 'it promises, asks for or waits for an approval rather than giving one',
    examples: [
      'I will approve once legal has reviewed the wording',
      'Needs changes before I approve',
      'Happy to approve after the typo fix',
      'Waiting for @alice to approve',
      'Please approve',
    ],
  },
  {
    name: 'condition',
    looksAt: 'sentence-before',
    pattern: /\b(?:if|unless|provided|assuming)\b/i,
    why: 'it is conditional',
    examples: ['If the links work, approved', 'Unless Legal objects, LGTM'],
  },
  {
    name: 'condition after',
    looksAt: 'sentence-after',
    pattern: /^\W*(?:\w+\W+){0,3}?(?:if|once|unless|provided|assuming|pending|until|as soon as|as long as|subject to|on condition)\b/i,
    why: 'it is conditional',
    examples: ['LGTM if CI passes', 'Approved once the screenshot is updated', 'LGTM pending the legal review'],
  },
  {
    name: 'someone else',
    looksAt: 'clause-before',
    pattern: /\b(?:he|she|they|someone|somebody|everyone|everybody|who|which|legal|has|said|says|saying|mentioned|told|per)\b/i,
    why: "it reports someone else's approval",
    examples: ['She said LGTM on the call', 'Legal has approved the wording'],
  },
  {
    name: 'a mention as subject',
    looksAt: 'clause-before',
    pattern: /@[\w.-]+\s+(?:(?:had|already|just)\s+)*$/,
    verbsOnly: true,
    why: "it reports someone else's approval",
    examples: ['@alice approved it in Slack', '@alice already approved'],
  },
  {
    name: 'a name as subject',
    looksAt: 'clause-before',
    pattern: new RegExp(`(?:^|\\s)(?!(?:${NOT_A_SUBJECT})\\b)[A-Z][\\w'’-]*\\s+$`),
    verbsOnly: true,
    why: "it reports someone else's approval",
    examples: ['Alice approved this yesterday'],
  },
  {
    name: 'by someone else',
    looksAt: 'sentence-after',
    pattern: /^\s*by\s+(?!me\b|myself\b)/i,
    why: "it reports someone else's approval",
    examples: ['Approved by legal', 'Approved by @alice in Slack'],
  },
];

/** How many words around a phrase the rules look at. */
export const WINDOW_WORDS = 12;
