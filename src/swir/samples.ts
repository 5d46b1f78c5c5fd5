// Sample data for `swir.hbs`: the loader renders the template with each (and each flag
// flipped), so a broken review template stops `config validate` instead of a Friday run.
// No imports (the message registry reads it, and the rules read the registry): that the
// samples have the shape of what the job passes is `tests/swir/template.test.ts`.

type ItemRef = { ref: string; title: string; url: string; author: string | null };

const item = (ref: string, title: string, author: string | null): ItemRef => ({ ref, title, url: `https://gitlab.com/${ref}`, author });
const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];

const FULL = {
  week: { key: '2026-W48', from: days[0]!, to: days[6]!, timezone: 'UTC', partial: true },
  unreadable: [{ key: 'feedback', path: 'gitlab-com/support/feedback', status: 403 }],
  needsAttention: {
    sla: [{ ...item('internal-requests#1', '(issue in a private project)', null), state: 'breached', template: 'Contact Request', age: '4 days', due: '2026-11-24 13:00 UTC' }],
    approvalMissing: [{ ...item('handbook!1', 'Reword a workflow', 'bruno'), age: '7 days' }],
    activeNow: [
      {
        label: 'Active Now::Focus',
        url: 'https://gitlab.com/board',
        items: [{ ...item('support-team-meta#2', '(confidential issue)', null), since: days[2]!, age: '2 days', lastActivity: days[3]! }],
      },
    ],
    waitingForAdmin: [{ ...item('internal-requests#5', '(issue in a private project)', null), state: 'eligible', since: days[1]!, age: '3 days' }],
    empty: false,
  },
  anyTopic: true,
  anyOnBoard: true,
  chartMax: 6,
  needsInfoLabel: 'triage::needs-info',
  waitingDays: 7,
  kpiUrl: 'https://example.com/kpis' as string | null,
  topics: [{ label: 'SWIR::kudos', topic: 'kudos', items: [item('support-team-meta#4', 'Kudos', 'chen')] }],
  requests: {
    project: 'gitlab-com/support/internal-requests',
    url: 'https://gitlab.com/gitlab-com/support/internal-requests',
    opened: 5,
    closed: 1,
    stillOpen: { count: 7, url: 'https://gitlab.com/gitlab-com/support/internal-requests/-/issues?state=opened' },
    byTemplate: [{ name: 'Contact Request', opened: 5, closed: 1, stillOpen: { count: 5, url: null } }],
    answered: 1,
    medianFirstResponseHours: '1',
    pastTarget: 1,
  },
  meta: {
    project: 'gitlab-com/support/support-team-meta',
    proposals: [item('support-team-meta#6', 'A proposal', 'dana')],
    readiness: [item('support-team-meta#7', 'Support Readiness: a page', 'maria-manager')],
    activeNow: [{ label: 'Active Now::Focus', count: 1, limit: 6, over: false, url: 'https://gitlab.com/board' }],
  },
  workflowChanges: [{ ...item('handbook!2', 'A handbook change', 'bruno'), approval: 'present' }],
  dormant: [{ state: 'eligible', label: 'dormant::eligible', open: { count: 1, url: null }, closed: 0 }],
  waiting: { items: [{ ...item('feedback#3', 'Waiting', 'sam-sales'), since: days[0]! }], lists: [{ project: 'gitlab-com/support/feedback', url: 'https://gitlab.com/waiting' }] },
  perDay: days.map((day, i) => ({ day, label: `D ${day.slice(8)}`, opened: i, closed: 0 })),
};

/** A final week with nothing in it, its requests project unreadable. */
const EMPTY = {
  ...FULL,
  week: { ...FULL.week, partial: false },
  unreadable: [],
  needsAttention: { sla: [], approvalMissing: [], activeNow: [], waitingForAdmin: [], empty: true },
  topics: [{ label: 'SWIR::kudos', topic: 'kudos', items: [] }],
  requests: null,
  meta: { ...FULL.meta, proposals: [], readiness: [], activeNow: [] },
  workflowChanges: [],
  dormant: [],
  waiting: { items: [], lists: [] },
  anyTopic: false,
  anyOnBoard: false,
  kpiUrl: null,
};

/** A full week so far (KPI link, an unreadable project, every list), and an empty final week whose requests project could not be read. */
export const SWIR_SAMPLES: readonly Readonly<Record<string, unknown>>[] = [FULL, EMPTY];
