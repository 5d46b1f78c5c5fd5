import { activeNowFact } from './activeNow.js';
import { approvalEvidenceFact } from './approvalEvidence.js';
import { approvalScopeFact } from './approvalScope.js';
import { authorAccountFact } from './authorAccount.js';
import { botUserFact } from './botUser.js';
import { changedPathsInFullFact } from './changedPathsInFull.js';
import { eligibleApproversFact } from './eligibleApprovers.js';
import type { FactDefinition, RunWideFact } from './define.js';
import { dormantNamespaceFact, tokenIsAdminFact } from './dormantNamespace.js';
import { issueTemplatesFact } from './issueTemplates.js';
import { dormantReleaseFact } from './dormantRelease.js';
import { firstResponseFact } from './firstResponse.js';
import { labelAddedAtFact } from './labelAddedAt.js';
import { notesFact } from './notes.js';
import { teamMembersFact } from './teamMembers.js';

export type { IssueBrief } from './activeNow.js';
export type { NamespaceFacts } from './dormantNamespace.js';
export type { PendingRelease } from './dormantRelease.js';
export type { LabelAddedAt } from './labelAddedAt.js';
export type { AuthorAccount } from './authorAccount.js';
export type { ApprovalEvidence, LinkedNote } from './approvalEvidence.js';
export type { ChangedPathsInFull } from './changedPathsInFull.js';
export type { ApprovalScope } from './approvalScope.js';

/**
 * Every fact a rule can declare in `needs` or `optional`, by name. A rule's `plan()` gets
 * the types below; the engine loads each at most once per run for the same key. Adding a
 * fact: its loader file, one line here, and the rule that asks for it.
 */
export const FACTS = {
  notes: notesFact,
  botUser: botUserFact,
  activeNow: activeNowFact,
  teamMembers: teamMembersFact,
  dormantNamespace: dormantNamespaceFact,
  tokenIsAdmin: tokenIsAdminFact,
  dormantRelease: dormantReleaseFact,
  eligibleApprovers: eligibleApproversFact,
  approvalScope: approvalScopeFact,
  approvalEvidence: approvalEvidenceFact,
  issueTemplates: issueTemplatesFact,
  labelAddedAt: labelAddedAtFact,
  firstResponse: firstResponseFact,
  authorAccount: authorAccountFact,
  changedPathsInFull: changedPathsInFullFact,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each fact has its own parameter type
} satisfies Record<string, FactDefinition<unknown, any>>;

export type FactName = keyof typeof FACTS;

/** The type each fact has once loaded. */
export type FactTypes = { [K in FactName]: (typeof FACTS)[K] extends FactDefinition<infer T, infer _P> ? T : never };

// `deps.fact(name)` in a loader is typed by the map: an unknown name does not compile.
declare module './define.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the map's types, merged into define.ts
  interface FactRegistry extends FactTypes {}
}

/** The facts that depend on no subject (`defineRunWideFact`): a job may ask for them before it has one. */
export type RunWideFactName = { [K in FactName]: (typeof FACTS)[K] extends RunWideFact<unknown, unknown> ? K : never }[FactName];
