import { collect } from '../gitlab/collect.js';
import { defineFact } from './define.js';

export interface IssueBrief {
  iid: number;
  title: string;
  webUrl: string;
  /** A confidential issue's title never goes into a note on another issue. */
  confidential: boolean;
  /**
   * When the issue last got this column's label (its label events), read only for a column
   * over its limit; the issue's creation when GitLab recorded no such event.
   */
  labelledAt?: Date;
}

/**
 * Open issues per 'Active Now' label of the subject's project, oldest first: the board. A
 * column over its limit also gets when each of its issues got the label, so the issues
 * that joined last are the ones held back, whichever delivery is handled first (two labels
 * added at once are two webhooks handled in parallel). A column within its limit costs one list.
 */
export const activeNowFact = defineFact({
  description: "open issues per 'Active Now' label in the subject's project, oldest first (with label times where a column is over its limit)",
  scope: 'run',
  param: (subject, config) => ({ project: subject.project, labels: config.activeNow.labels, limit: config.activeNow.limit }),
  key: (p) => String(p.project.id),
  async load({ project, labels, limit }, { gateway, fact }): Promise<Record<string, IssueBrief[]>> {
    const projectId = project.id;
    const columns = await Promise.all(
      labels.map(async (label) => {
        const issues = await collect(gateway.listIssues(projectId, { state: 'opened', labels: [label], orderBy: 'created_at', sort: 'asc' }));
        const over = issues.length > limit;
        const briefs = await Promise.all(
          issues.map(async (i): Promise<IssueBrief> => ({
            iid: i.iid,
            title: i.title,
            webUrl: i.webUrl,
            confidential: i.confidential,
            ...(over ? { labelledAt: (await fact('labelAddedAt', { kind: 'issue', project, issue: i })).last(label) } : {}),
          })),
        );
        return [label, briefs] as const;
      }),
    );
    return Object.fromEntries(columns);
  },
});
