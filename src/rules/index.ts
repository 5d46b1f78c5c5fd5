import { firstResponseSla } from './firstResponseSla.js';
import { requestFormRedirect } from './requestFormRedirect.js';
import { templateCheck } from './templateCheck.js';
import type { IssueRule } from './types.js';

/** Every rule the bot runs, in evaluation order. A test checks each file under src/rules/ is listed. */
export const allRules: readonly IssueRule[] = [
  templateCheck,
  requestFormRedirect,
  firstResponseSla,
];
