import { benchFaults } from './faults.js';
import { benchIntake } from './intake.js';
import { benchIntakeMemory } from './intakeMemory.js';
import { benchScanners } from './scanners.js';
import { benchStartup } from './startup.js';
import { benchSweep } from './sweep.js';
import { benchTrigger } from './trigger.js';

// `npm run bench [-- startup intake intake-memory sweep faults trigger scanners compare-markdown compare-secrets]`: prints measured figures, one line each.

const all = ['startup', 'intake', 'intake-memory', 'sweep', 'faults', 'trigger', 'scanners'] as const;
/** Library comparisons (issue 12's guard rails): only when named, they load comparison-only dev dependencies. */
const comparisons = ['compare-markdown', 'compare-secrets'] as const;
type Name = (typeof all)[number] | (typeof comparisons)[number];
const chosen = process.argv.slice(2).filter((a): a is Name => ([...all, ...comparisons] as readonly string[]).includes(a));
const run: readonly Name[] = chosen.length > 0 ? chosen : all;

console.log(`support-bot benchmarks: node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`);
for (const name of run) {
  if (name === 'startup') console.log(benchStartup());
  if (name === 'intake') for (const l of await benchIntake()) console.log(l);
  if (name === 'intake-memory') console.log(await benchIntakeMemory());
  if (name === 'sweep') for (const l of await benchSweep()) console.log(l);
  if (name === 'faults') console.log(await benchFaults());
  if (name === 'trigger') for (const l of await benchTrigger()) console.log(l);
  if (name === 'scanners') for (const l of benchScanners(process.env.SCANNER)) console.log(l);
  if (name === 'compare-markdown') for (const l of (await import('./compareMarkdown.js')).compareMarkdown()) console.log(l);
  if (name === 'compare-secrets') for (const l of await (await import('./compareSecrets.js')).compareSecrets()) console.log(l);
}
