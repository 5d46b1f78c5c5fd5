import { sensitiveDataConfig } from '../src/rules/sensitiveData.js';
import { neutralize } from '../src/render/neutralize.js';
import { findSecrets } from '../src/secrets/detectors.js';
import { heldValue, redactOutput } from '../src/secrets/output.js';
import { redact } from '../src/secrets/redact.js';
import { matchedKeywords } from '../src/templates/keywords.js';
import { parseMarkdown } from '../src/templates/markdown.js';
import { recognizeTemplate } from '../src/templates/recognize.js';
import { isFilled, sectionBodies } from '../src/templates/sections.js';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { line } from './measure.js';

const HELD = ['Zq9xW', 'glpat-StraddlesTheCut42x'].map(heldValue);

// Every scanner of user text, fed pathological inputs at 128 KB, 256 KB, 512 KB and 1 MB.
// Linear means each doubling of the input roughly doubles the time; quadratic quadruples it.
// Target: at most 3× per doubling (2× is exactly linear, 4× quadratic), and 1 MB under 1 s.

export const SIZES = [128, 256, 512, 1024].map((kb) => kb * 1024);

/** A text of exactly `size` characters built from `unit` repeated (plus an optional tail). */
export function repeatTo(unit: string, size: number, tail = ''): string {
  const body = unit.repeat(Math.ceil(Math.max(0, size - tail.length) / unit.length)).slice(0, Math.max(0, size - tail.length));
  return body + tail;
}

const TOKEN_BODY = 'aB3dE5fG7hJ9kL1mN2pQ';
const PHRASES = sensitiveDataConfig.schema.parse({}).vulnerabilityPhrases;
const KEYWORDS = ['license', 'licence', 'licensing', 'subscription', 'trial', 'grace period', 'true-up'];
const KNOWN = new Set(['username', 'message', 'reason for contact']);

export interface ScannerCase {
  scanner: string;
  input: string;
  make: (size: number) => string;
  run: (text: string) => unknown;
}

const secrets = (text: string) => findSecrets(text);

/** The pathological inputs: each aims at a scanner's loops and regexes (runs of a prefix, unclosed blocks, long separators). */
export const CASES: ScannerCase[] = [
  // The reported case: BEGIN lines without END. Each BEGIN used to search the rest of the text for its END.
  { scanner: 'findSecrets', input: 'BEGIN PRIVATE KEY lines, no END', make: (n) => repeatTo('-----BEGIN PRIVATE KEY-----\n', n), run: secrets },
  { scanner: 'findSecrets', input: 'BEGIN + key line, no END', make: (n) => repeatTo(`-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA${TOKEN_BODY}\n`, n), run: secrets },
  { scanner: 'findSecrets', input: 'escaped BEGIN\\n runs, one line', make: (n) => repeatTo('-----BEGIN PRIVATE KEY-----\\nMIIE', n), run: secrets },
  {
    scanner: 'findSecrets',
    input: 'BEGIN with many END of other kinds',
    make: (n) => repeatTo('-----BEGIN EC PRIVATE KEY-----\n-----END RSA PRIVATE KEY-----\n', n),
    run: secrets,
  },
  { scanner: 'findSecrets', input: 'glpat- prefixes back to back', make: (n) => repeatTo('glpat-', n), run: secrets },
  { scanner: 'findSecrets', input: 'short glpat- halves over lines', make: (n) => repeatTo('glpat-abc\n', n), run: secrets },
  { scanner: 'findSecrets', input: 'tokens (many matches)', make: (n) => repeatTo(`glpat-${TOKEN_BODY} `, n), run: secrets },
  { scanner: 'findSecrets', input: 'password: assignments', make: (n) => repeatTo('password: ', n), run: secrets },
  { scanner: 'findSecrets', input: 'aws_secret_access_key + spaces', make: (n) => repeatTo(`aws_secret_access_key${' '.repeat(200)}=${' '.repeat(200)}`, n), run: secrets },
  { scanner: 'findSecrets', input: 'Authorization: headers + spaces', make: (n) => repeatTo('Authorization:    ', n), run: secrets },
  { scanner: 'findSecrets', input: 'xoxb- dash runs', make: (n) => repeatTo('xoxb-a-', n), run: secrets },
  { scanner: 'findSecrets', input: 'URL schemes and user:, no @', make: (n) => repeatTo('ghp_npm_https://user:pass', n), run: secrets },
  { scanner: 'findSecrets', input: 'percent escapes', make: (n) => repeatTo('%67%6C%70%61%74%2D%', n), run: secrets },
  { scanner: 'findSecrets', input: 'zero-width spaces and soft hyphens', make: (n) => repeatTo('g\u200bl\u00adp', n), run: secrets },
  // Issue 21, case 4: what normalisation reads as GitLab renders it.
  { scanner: 'findSecrets', input: 'unclosed HTML comments', make: (n) => repeatTo('a<!-- b ', n), run: secrets },
  { scanner: 'findSecrets', input: 'unclosed tags with long attributes', make: (n) => repeatTo(`a<b c="${'d'.repeat(150)} `, n), run: secrets },
  { scanner: 'findSecrets', input: 'tags between token characters', make: (n) => repeatTo('glpat-a<wbr><b></b>', n), run: secrets },
  { scanner: 'findSecrets', input: 'emphasis between token characters', make: (n) => repeatTo('glpat-a**b`c~~', n), run: secrets },
  { scanner: 'findSecrets', input: 'named character references', make: (n) => repeatTo('glpat&hyphen;&ZeroWidthSpace;&lowbar;&foo;&', n), run: secrets },
  { scanner: 'findSecrets', input: 'fullwidth and variation selectors', make: (n) => repeatTo('ｇｌｐａｔ－\ufe0f\u2013', n), run: secrets },
  { scanner: 'findSecrets', input: 'short glpat- thirds over lines', make: (n) => repeatTo('glpat-ab\ncd\nef\n', n), run: secrets },
  { scanner: 'findSecrets', input: 'lower-case BEGIN lines, no END', make: (n) => repeatTo('-----begin private key-----\n', n), run: secrets },
  // Issue 21, fourth round: letter-spacing, links, spaces and marks between token characters, table cells.
  { scanner: 'findSecrets', input: 'letter-spaced characters', make: (n) => repeatTo('g l p a t - a ', n), run: secrets },
  { scanner: 'findSecrets', input: 'unclosed link destinations after token characters', make: (n) => repeatTo('glpat-a](https://x', n), run: secrets },
  { scanner: 'findSecrets', input: 'unclosed link references after token characters', make: (n) => repeatTo('glpat-a][b', n), run: secrets },
  { scanner: 'findSecrets', input: 'no-break spaces and combining marks', make: (n) => repeatTo('glpat-a\u00a0b\u202fc\u0301', n), run: secrets },
  { scanner: 'findSecrets', input: 'short glpat- parts in table cells', make: (n) => repeatTo('glpat-ab | cd | ', n), run: secrets },
  {
    scanner: 'redactOutput',
    input: 'registered values echoed among disguises',
    make: (n) => repeatTo('token: Zq9xW\u200b Z&shy;q9xW %5Aq9xW glpat-aB3dE5fG7hJ9kL1mN2pQ Zq9x ', n),
    run: (t) => redactOutput(t, HELD, '[REDACTED]'),
  },
  { scanner: 'redact', input: 'tokens (many matches)', make: (n) => repeatTo(`glpat-${TOKEN_BODY} `, n), run: (t) => redact(t, findSecrets(t), '[REDACTED]') },
  { scanner: 'parseMarkdown', input: '`<!--` on one line', make: (n) => repeatTo('<!--', n), run: (t) => parseMarkdown(t, KNOWN) },
  { scanner: 'parseMarkdown', input: 'comments opened and closed, one line', make: (n) => repeatTo('a <!-- b --> ', n), run: (t) => parseMarkdown(t, KNOWN) },
  { scanner: 'parseMarkdown', input: 'unclosed comment, many lines', make: (n) => `<!--\n${repeatTo('## hidden\n', n - 5)}`, run: (t) => parseMarkdown(t, KNOWN) },
  { scanner: 'parseMarkdown', input: 'heading `## ` + `: ` run', make: (n) => `## ${repeatTo(': ', n - 4)}x`, run: (t) => parseMarkdown(t, KNOWN) },
  { scanner: 'parseMarkdown', input: 'heading of `# ` pairs', make: (n) => `# ${repeatTo('# ', n - 3)}x`, run: (t) => parseMarkdown(t, KNOWN) },
  { scanner: 'parseMarkdown', input: 'fence lines, none closing', make: (n) => repeatTo('```\n~~~~ a\n', n), run: (t) => parseMarkdown(t, KNOWN) },
  { scanner: 'parseMarkdown', input: 'bold lines', make: (n) => repeatTo('**Username**\n**a**b**\n', n), run: (t) => parseMarkdown(t, KNOWN) },
  { scanner: 'sections+recognize', input: 'headings and bodies', make: (n) => repeatTo('## Username\nalice\n## Message\n\n', n), run: sectionsAndRecognition },
  {
    scanner: 'matchedKeywords',
    input: 'phrase first words + space runs',
    make: (n) => repeatTo('security      remote   cross- SQL grace  ', n),
    run: (t) => matchedKeywords(t, [...PHRASES, ...KEYWORDS]),
  },
  { scanner: 'matchedKeywords', input: 'hyphen runs after a first word', make: (n) => `privilege${repeatTo('-', n - 10)}x`, run: (t) => matchedKeywords(t, PHRASES) },
  { scanner: 'neutralize', input: '`<!--` runs', make: (n) => repeatTo('<!--', n), run: neutralize },
  { scanner: 'neutralize', input: 'indented lines, no slash', make: (n) => repeatTo('\n        ', n), run: neutralize },
  { scanner: 'neutralize', input: '@ runs and quick actions', make: (n) => repeatTo('@a /close\n', n), run: neutralize },
];

function sectionsAndRecognition(text: string): unknown {
  const doc = parseMarkdown(text, KNOWN);
  const template = { name: 'Contact Request', project: 'p', requiredSections: ['Username', 'Message', 'Reason for contact'] } as never;
  recognizeTemplate(doc, [template], { minShare: 0.6, minHeadings: 2 });
  const bodies = sectionBodies(doc, KNOWN);
  return [...KNOWN].map((key) => isFilled(bodies.get(key), new Set()));
}

let gc: (() => void) | undefined;
/** A full garbage collection between runs, so one run does not pay for the last one's garbage. */
function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** CPU time (user + system) of one call, in ms. */
export function cpuMs(run: () => unknown): number {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/**
 * Best of several runs, in ms of the process's CPU time (user + system), not wall time: the
 * 2 cores are shared with other work, and CPU time does not count the time another process
 * had the core. At least 3 runs (the first run of a regex on a long text
 * includes V8's tier-up to native code), more while under 300 ms in all; a single run
 * when one already took over a second (the quadratic code at 1 MB).
 */
export function timeRun(run: (text: string) => unknown, text: string, minRuns = 3, maxRuns = 7, budgetMs = 300): number {
  let best = Infinity;
  let spent = 0;
  for (let i = 0; i < maxRuns; i += 1) {
    if (i >= minRuns && spent > budgetMs) break;
    if (i > 0 && best > 1000) break;
    collectGarbage();
    const took = cpuMs(() => run(text));
    best = Math.min(best, took);
    spent += took;
  }
  return best;
}

/** One case at every size; sizes after one that took longer than `stopAfterMs` are skipped (a quadratic scanner would take minutes). */
export function measureCase(c: ScannerCase, stopAfterMs = 4000): (number | undefined)[] {
  const times: (number | undefined)[] = [];
  for (const size of SIZES) {
    if (times.length > 0 && (times.at(-1) ?? Infinity) > stopAfterMs) {
      times.push(undefined);
      continue;
    }
    times.push(timeRun(c.run, c.make(size)));
  }
  return times;
}

const fmt = (ms: number | undefined) => (ms === undefined ? 'skipped' : ms < 10 ? ms.toFixed(2) : ms.toFixed(0));

/**
 * How time grows with size: the slope of log(time) over log(size), least squares over the
 * measured sizes (1 for linear, 2 for quadratic), and what it means per doubling (2^slope).
 */
export function growth(times: readonly number[], sizes: readonly number[] = SIZES): { slope: number; perDoubling: number } {
  const xs = sizes.slice(0, times.length).map(Math.log2);
  const ys = times.map((t) => Math.log2(Math.max(t, 0.01)));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return { slope, perDoubling: 2 ** slope };
}

/**
 * Target: each doubling of the input roughly doubles the time, not quadruples it: at most
 * 3× per doubling (linear is 2×, quadratic 4×; cases that keep 10⁵ objects alive at 1 MB
 * pay 2.2–2.8× for garbage collection of the growing heap), and 1 MB in under a second.
 */
export const TARGET = { perDoubling: 3, oneMegabyteMs: 1000 };

export function benchScanners(filter?: string): string[] {
  const out: string[] = [
    `text scanners: best-of-runs CPU ms at 128K/256K/512K/1M; target per doubling ≤ ${TARGET.perDoubling}× (linear 2×, quadratic 4×), 1 MB < ${TARGET.oneMegabyteMs} ms`,
  ];
  let worst = 0;
  let missed = 0;
  for (const c of CASES) {
    if (filter && !c.scanner.toLowerCase().includes(filter.toLowerCase())) continue;
    const times = measureCase(c);
    const measured = times.filter((t): t is number => t !== undefined);
    const { perDoubling } = growth(measured);
    const full = times.at(-1);
    const ok = full !== undefined && full < TARGET.oneMegabyteMs && perDoubling <= TARGET.perDoubling;
    if (!ok) missed += 1;
    worst = Math.max(worst, perDoubling);
    out.push(line(`${c.scanner}: ${c.input}`.slice(0, 60).padEnd(60), { ms: times.map(fmt).join('/'), per_doubling: `${perDoubling.toFixed(1)}x`, target: ok ? 'met' : 'MISSED' }));
  }
  out.push(`scanners: worst per doubling ${worst.toFixed(1)}x (target ≤ ${TARGET.perDoubling}x), ${missed} case(s) missed`);
  return out;
}
