import { findSecrets } from '../src/secrets/detectors.js';
import { DISGUISES } from '../tests/secrets/disguises.js';
import { secretlintRanges } from './compareSecrets.js';

// Issue 21, case 4: the disguise corpus (`tests/secrets/disguises.ts`) side by side: the bot's
// detectors and secretlint's recommended preset, each scored "found" when one reported range
// covers the whole secret as written, "partly" when a range only overlaps it.
// `npm run bench -- disguises` prints the Markdown table kept in bench/README.md.

type Range = [number, number];

function score(text: string, written: string, ranges: Range[]): 'found' | 'partly' | 'missed' {
  const start = text.indexOf(written);
  const end = start + written.length;
  if (ranges.some(([s, e]) => s <= start && e >= end)) return 'found';
  return ranges.some(([s, e]) => s < end && e > start) ? 'partly' : 'missed';
}

export async function benchDisguises(): Promise<string[]> {
  const lines = ['| disguise | support-bot | secretlint preset |', '|---|---|---|'];
  let ours = 0;
  let theirs = 0;
  for (const d of DISGUISES) {
    const own = score(
      d.text,
      d.written,
      findSecrets(d.text).map((m) => [m.start, m.end]),
    );
    const lint = score(d.text, d.written, await secretlintRanges(d.text));
    if (own === 'found') ours += 1;
    if (lint === 'found') theirs += 1;
    lines.push(`| ${d.name.replaceAll('|', '\\|').replaceAll('<', '`<').replaceAll('>', '>`')} | ${own} | ${lint} |`);
  }
  lines.push(`| **found** | **${ours} of ${DISGUISES.length}** | **${theirs} of ${DISGUISES.length}** |`);
  return lines;
}
