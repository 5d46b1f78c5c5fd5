import { activeNowLimit } from './activeNowLimit.js';
import { announceIssueOpened } from './announceIssueOpened.js';
import { dormantNamespace } from './dormantNamespace.js';
import { approvalArtifact } from './approvalArtifact.js';
import { firstResponseSla } from './firstResponseSla.js';
import { requestFormRedirect } from './requestFormRedirect.js';
import { sensitiveData } from './sensitiveData.js';
import { sensitiveDataMergeRequests } from './sensitiveDataMergeRequests.js';
import { templateCheck } from './templateCheck.js';
import type { AnyRule } from './types.js';

/** Every rule the bot runs, in evaluation order. A test checks each file under src/rules/ is listed. */
export const allRules: readonly AnyRule[] = [
  sensitiveData,
  sensitiveDataMergeRequests,
  templateCheck,
  requestFormRedirect,
  firstResponseSla,
  activeNowLimit,
  dormantNamespace,
  approvalArtifact,
  announceIssueOpened,
];
