import { describeCrashMatrix } from '../helpers/crashMatrix.js';
import { RULE_FLOWS } from './crashFlows.js';

// Issue 21, as a class: every flow in which a rule makes more than one write, killed at its
// writes and run again until quiet, ends where the uncrashed flow ends (tests/helpers/crashMatrix.ts).
describeCrashMatrix(RULE_FLOWS);
