import { collect } from '../gitlab/collect.js';
import { defineFact } from './define.js';

export interface IssueBrief {
  iid: number;
  title: string;
  webUrl: string;
  /** A confidential issue's title never goes into a note on another issue. */
  confidential: boolean;
}

/** Open issues per 'Active Now' label of the subject's project, oldest first: the board. */
export const activeNowFact = defineFact({
  description: "open issues per 'Active Now' label in the subject's project, oldest first",
  scope: 'run',
  param: (subject, config) => ({ projectId: subject.project.id, labels: config.activeNow.labels }),
  key: (p) => String(p.projectId),
  async load({ projectId, labels }, { gateway }): Promise<Record<string, IssueBrief[]>> {
    const columns = await Promise.all(
      labels.map(async (label) => {
        const issues = await collect(gateway.listIssues(projectId, { state: 'opened', labels: [label], orderBy: 'created_at', sort: 'asc' }));
        return [label, issues.map((i) => ({ iid: i.iid, title: i.title, webUrl: i.webUrl, confidential: i.confidential }))] as const;
      }),
    );
    return Object.fromEntries(columns);
  },
});
