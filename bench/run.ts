import { benchApprovalReader } from './approvalReader.js';
import { benchBundleStartup } from './bundleStartup.js';
import { benchConcurrency } from './concurrency.js';
import { benchFaults } from './faults.js';
import { benchIntake } from './intake.js';
import { benchIntakeMemory } from './intakeMemory.js';
import { benchLatency } from './latency.js';
import { benchNotes200 } from './notes200.js';
import { benchRateLimit } from './rateLimit.js';
import { benchScanners } from './scanners.js';
import { benchStartup } from './startup.js';
import { benchSweep } from './sweep.js';
import { benchSweepCompliant } from './sweepCompliant.js';
import { benchTrigger } from './trigger.js';

// `npm run bench [-- startup bundle-startup intake intake-memory sweep faults trigger scanners latency sweep-compliant concurrency rate-limit notes-200
// approval-reader compare-markdown compare-secrets disguises]`: prints measured figures, one line each, next to their targets where there is one.

const all = [
  'startup',
  'bundle-startup',
  'intake',
  'intake-memory',
  'sweep',
  'faults',
  'trigger',
  'scanners',
  'latency',
  'sweep-compliant',
  'concurrency',
  'rate-limit',
  'approval-reader',
  'notes-200',
] as const;
/** Library comparisons (issue 12's guard rails): only when named, they load comparison-only dev dependencies. */
const comparisons = ['compare-markdown', 'compare-secrets', 'disguises'] as const;
type Name = (typeof all)[number] | (typeof comparisons)[number];
const known: readonly string[] = [...all, ...comparisons];
const unknown = process.argv.slice(2).filter((a) => !known.includes(a));
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${known.join(', ')}`);
  process.exit(2);
}
const chosen = process.argv.slice(2).filter((a): a is Name => known.includes(a));
const run: readonly Name[] = chosen.length > 0 ? chosen : all;

const os = await import('node:os');
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
console.log(`support-bot benchmarks: node ${process.version}, ${os.cpus().length} cores, load average ${load()}, ${new Date().toISOString()}`);
for (const name of run) {
  if (name === 'startup') console.log(benchStartup());
  if (name === 'bundle-startup') for (const l of benchBundleStartup()) console.log(l);
  if (name === 'intake') for (const l of await benchIntake()) console.log(l);
  if (name === 'intake-memory') console.log(await benchIntakeMemory());
  if (name === 'sweep') for (const l of await benchSweep()) console.log(l);
  if (name === 'faults') console.log(await benchFaults());
  if (name === 'trigger') for (const l of await benchTrigger()) console.log(l);
  if (name === 'scanners') for (const l of benchScanners(process.env.SCANNER)) console.log(l);
  if (name === 'latency') for (const l of await benchLatency()) console.log(l);
  if (name === 'sweep-compliant') for (const l of await benchSweepCompliant()) console.log(l);
  if (name === 'concurrency') for (const l of await benchConcurrency()) console.log(l);
  if (name === 'approval-reader') for (const l of benchApprovalReader()) console.log(l);
  if (name === 'rate-limit') for (const l of await benchRateLimit()) console.log(l);
  if (name === 'notes-200') for (const l of await benchNotes200()) console.log(l);
  if (name === 'compare-markdown') for (const l of (await import('./compareMarkdown.js')).compareMarkdown()) console.log(l);
  if (name === 'disguises') for (const l of await (await import('./disguises.js')).benchDisguises()) console.log(l);
  if (name === 'compare-secrets') for (const l of await (await import('./compareSecrets.js')).compareSecrets()) console.log(l);
}
console.log(`done: load average ${load()}, ${new Date().toISOString()}`);
