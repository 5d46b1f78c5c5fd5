import { readApproval } from '../src/approvals/phrases.js';
import { MAX_BLOCK } from '../src/approvals/ownWords.js';
import { approvalsConfig } from '../src/rules/approvalArtifact.js';
import { line } from './measure.js';
import { growth, repeatTo, SIZES, timeRun } from './scanners.js';

// The approval reader (`readApproval`: blocks, CommonMark parse, clause rules, holds) fed
// pathological comments at 128 KB, 256 KB, 512 KB and 1 MB. Every block holds an approving
// word, so every block is parsed: the worst case for the parser, whose own cost is not
// linear in a block (nested quotes, runs of brackets, tildes or emphasis).
// Target (issue 20): time roughly doubles with size, ≤ 3× per doubling (linear 2×, quadratic 4×).

const PHRASES = approvalsConfig.schema.parse({}).phrases;

/** Blocks just under the reader's limit, each with an approving word, separated by blank lines. */
function blocksOf(unit: string, size: number): string {
  const block = `LGTM? ${repeatTo(unit, MAX_BLOCK - 10)}\n\n`;
  return repeatTo(block, size);
}

const CASES: { input: string; make: (size: number) => string }[] = [
  { input: 'runs of <!-- (one paragraph)', make: (n) => repeatTo('<!--LGTM ', n) },
  { input: 'runs of <!-- in blocks', make: (n) => blocksOf('<!--', n) },
  { input: 'nested quotes >>>> in blocks', make: (n) => blocksOf('>', n) },
  { input: 'quote lines > > LGTM', make: (n) => repeatTo('> > > LGTM\n', n) },
  { input: 'GitLab >>> quotes', make: (n) => repeatTo('>>>\nLGTM\n>>>\n', n) },
  { input: 'link openers [[[[ in blocks', make: (n) => blocksOf('[', n) },
  { input: 'links [a]( in blocks', make: (n) => blocksOf('[a](', n) },
  { input: 'emphasis *a*a in blocks', make: (n) => blocksOf('*a', n) },
  { input: 'emphasis *_*_ in blocks', make: (n) => blocksOf('*_', n) },
  { input: 'strikethrough ~a~a in blocks', make: (n) => blocksOf('~a', n) },
  { input: 'code spans `a`` in blocks', make: (n) => blocksOf('`a``', n) },
  { input: 'nested lists - - - in blocks', make: (n) => blocksOf('- ', n) },
  { input: 'inline HTML <del> in blocks', make: (n) => blocksOf('<del>', n) },
  { input: 'phrases packed in blocks LGTM,', make: (n) => blocksOf('LGTM, ', n) },
  { input: 'approving clauses, none held back', make: (n) => repeatTo(`${repeatTo('LGTM, ', MAX_BLOCK - 10)}\n\n`, n) },
  { input: 'lead-in words in blocks', make: (n) => blocksOf('thanks ok ', n) },
  { input: 'quoted phrases in blocks "LGTM"', make: (n) => blocksOf('"LGTM" ', n) },
  { input: 'hold cues in blocks (needs a …)', make: (n) => blocksOf('needs a want to let me ', n) },
  { input: 'one paragraph of hold cues', make: (n) => repeatTo('LGTM needs a a a not blocking want @a to ', n) },
  { input: 'approving words, all questions', make: (n) => repeatTo('LGTM? approve? ', n) },
  { input: 'one line of approving words', make: (n) => repeatTo('approved by legal ', n) },
  {
    input: 'unclosed fence then LGTM lines',
    make: (n) =>
      repeatTo('LGTM\n', n - 4, '```\n')
        .split('')
        .reverse()
        .join(''),
  },
  { input: 'fences opened and closed', make: (n) => repeatTo('```\nLGTM\n```\nLGTM\n\n', n) },
  { input: 'unclosed <pre> then LGTM', make: (n) => `<pre>\n${repeatTo('LGTM\n\n', n - 6)}` },
];

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

export function benchApprovalReader(): string[] {
  const out = ['approval reader: best-of-runs CPU ms at 128K/256K/512K/1M; target: time roughly doubles with size (≤ 3× per doubling)'];
  let worst = 0;
  let missed = 0;
  for (const c of CASES) {
    const times = SIZES.map((size) => timeRun((text) => readApproval(text, PHRASES), c.make(size)));
    const { perDoubling } = growth(times);
    const ok = perDoubling <= 3;
    if (!ok) missed += 1;
    worst = Math.max(worst, perDoubling);
    out.push(line(c.input.padEnd(40), { ms: times.map(fmt).join('/'), per_doubling: `${perDoubling.toFixed(1)}x`, target: ok ? 'met' : 'MISSED' }));
  }
  out.push(`approval reader: worst per doubling ${worst.toFixed(1)}x (target ≤ 3x), ${missed} case(s) missed`);
  return out;
}
