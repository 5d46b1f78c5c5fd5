import type { DemoScenario } from '../types.js';
import { sweepCatchUp } from './sweepCatchUp.js';

/** The demo's scenarios, in the order they run. */
export const scenarios: readonly DemoScenario[] = [sweepCatchUp];
