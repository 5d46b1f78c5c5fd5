import { benchFaults } from './faults.js';
import { benchIntake } from './intake.js';
import { benchIntakeMemory } from './intakeMemory.js';
import { benchStartup } from './startup.js';
import { benchSweep } from './sweep.js';
import { benchTrigger } from './trigger.js';

// `npm run bench [-- startup intake intake-memory sweep faults]`: prints measured figures, one line each.

const all = ['startup', 'intake', 'intake-memory', 'sweep', 'faults', 'trigger'] as const;
const chosen = process.argv.slice(2).filter((a): a is (typeof all)[number] => (all as readonly string[]).includes(a));
const run = chosen.length > 0 ? chosen : all;

console.log(`support-bot benchmarks: node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`);
for (const name of run) {
  if (name === 'startup') console.log(benchStartup());
  if (name === 'intake') for (const l of await benchIntake()) console.log(l);
  if (name === 'intake-memory') console.log(await benchIntakeMemory());
  if (name === 'sweep') for (const l of await benchSweep()) console.log(l);
  if (name === 'faults') console.log(await benchFaults());
  if (name === 'trigger') for (const l of await benchTrigger()) console.log(l);
}
