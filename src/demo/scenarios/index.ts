import type { DemoScenario } from '../types.js';
import { activeNowLimitHit } from './activeNow.js';
import { dormantNamespaces } from './dormant.js';
import { approvalArtifacts } from './approvals.js';
import { redactedSecret } from './secrets.js';
import { firstResponseTargets } from './sla.js';
import { sweepCatchUp } from './sweepCatchUp.js';
import { weekInReview } from './swir.js';
import { templateFlows } from './templates.js';
import { serverlessTrigger } from './trigger.js';
import { slackAnnouncements } from './slack.js';

/** The demo's scenarios, in the order they run. */
export const scenarios: readonly DemoScenario[] = [
  templateFlows,
  sweepCatchUp,
  firstResponseTargets,
  activeNowLimitHit,
  redactedSecret,
  approvalArtifacts,
  dormantNamespaces,
  weekInReview,
  serverlessTrigger,
  slackAnnouncements,
];
