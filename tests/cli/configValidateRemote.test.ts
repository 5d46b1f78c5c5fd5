import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../src/rules/index.js';
import { SANDBOX_TOKENS, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { defaultConfig } from '../helpers/builders.js';

// GitLab matches label titles exactly, so a configured label that differs in case from the
// project's never matches: `config validate --remote` makes that visible. It checks a label
// only in the projects whose feature uses it, the way the rules do (shipped config).

let sandbox: Sandbox;
let stdout: string;
let code: number | null;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'demo' });
  const { store } = sandbox;
  const feedback = store.requireProject('gitlab-com/support/feedback');
  // Exactly what feedback uses (templates required, public, in approvals.scope), one label in
  // the wrong case; none of the request-form, dormant, board or Week in Review labels.
  for (const label of [
    'template::none',
    'triage::needs-info',
    'Triage::Ready',
    'template::indirect-feedback',
    'sensitive-data',
    'sensitive-data-reviewed',
    'sla::at-risk',
    'sla::breached',
    'approval::present',
    'approval::missing',
  ]) {
    store.ensureLabel(feedback.id, label);
  }
  // The Week in Review's label, as if nobody had published one yet (the seed has an earlier review).
  const meta = store.requireProject('gitlab-com/support/support-team-meta');
  store.labels.splice(store.labels.indexOf(store.findLabel(meta.id, 'SWIR')!), 1);
  for (const issue of store.issues.filter((i) => i.projectId === meta.id)) issue.labels = issue.labels.filter((l) => l !== 'SWIR');
  // Private, and not `public: true` in the config: sensitive-data does not run there.
  store.requireProject('gitlab-com/support/internal-requests').visibility = 'private';
  // The bot only has project roles here, not a membership of the team group.
  const support = store.findGroupByPath('gitlab-com/support')!;
  const bot = store.findUserByUsername('support-bot')!;
  store.addProjectMember(store.requireProject('gitlab-com/support/internal-requests').id, bot.id, 20);
  store.members.splice(
    store.members.findIndex((m) => m.sourceType === 'group' && m.sourceId === support.id && m.userId === bot.id),
    1,
  );
  // support-team-meta has its templates; the other projects do not.
  for (const name of ['Support Readiness', 'Support Shadow Program']) store.setFile(meta.id, 'main', `.gitlab/issue_templates/${name}.md`, `## Summary\n`);
  const result = await runCli(['config', 'validate', '--remote'], { GITLAB_URL: sandbox.url, GITLAB_TOKEN: SANDBOX_TOKENS.bot });
  ({ stdout, code } = result);
  expect(code, result.stderr).toBe(0);
});
afterAll(() => sandbox.close());

// The expectations below are those of the rules named here; a rule added later brings its labels and its own tests.
const COVERED_RULES = new Set([
  'sensitive-data',
  'sensitive-data-merge-requests',
  'template-check',
  'request-form-redirect',
  'first-response-sla',
  'active-now-limit',
  'dormant-namespace',
  'approval-artifact',
  'announce-issue-opened',
]);

/** Labels in `key` that only rules outside COVERED_RULES use. */
function uncoveredLabels(key: string): Set<string> {
  const labelsOf = (covered: boolean) =>
    allRules.filter((r) => COVERED_RULES.has(r.key) === covered).flatMap((r) => (r.labels?.(defaultConfig, key) ?? []).map((use) => use.label));
  const covered = new Set(labelsOf(true));
  return new Set(labelsOf(false).filter((label) => !covered.has(label)));
}

/** The labels reported missing in one project, by name (those of the covered rules). */
function missing(key: string): string[] {
  const uncovered = uncoveredLabels(key);
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`warning: projects.${key} `) && l.includes('has no label'))
    .map((l) => /has no label "([^"]+)"/.exec(l)![1]!)
    .filter((label) => !uncovered.has(label))
    .sort();
}

describe('support-bot config validate --remote', () => {
  it('reports nothing a project lacks where no feature uses it, and a label that differs only in case where one does', () => {
    const uncovered = uncoveredLabels('feedback');
    const lines = stdout.split('\n').filter((l) => l.includes('projects.feedback') && l.includes('has no label'));
    expect(lines.filter((l) => !uncovered.has(/has no label "([^"]+)"/.exec(l)![1]!))).toEqual([
      'warning: projects.feedback (gitlab-com/support/feedback) has no label "triage::ready" (labels.ready) but has "Triage::Ready": GitLab matches labels exactly, so change one to match the other',
    ]);
  });

  it('reports each label missing where its feature runs, and only there', () => {
    // internal-requests: templates, the request form, Name Squatting Requests, SLA, approvals; private, so no sensitive-data.
    expect(missing('internal-requests')).toEqual(
      [
        'template::none',
        'triage::needs-info',
        'triage::ready',
        'template::contact-request',
        'template::name-squatting-request',
        'redirect::request-form',
        'sla::at-risk',
        'sla::breached',
        'dormant::eligible',
        'dormant::not-eligible',
        'dormant::pending-contact',
        'dormant::needs-admin',
        'dormant::user-not-found',
        'approval::present',
        'approval::missing',
      ].sort(),
    );
    expect(stdout).toContain(
      'warning: projects.internal-requests (gitlab-com/support/internal-requests) has no label "template::contact-request" (labels.templatePrefix + templates[0].slug)',
    );
    // support-team-meta: public, the 'Active Now' board and the Week in Review; no request form, no dormant requests.
    expect(missing('support-team-meta')).toEqual(
      [
        'template::none',
        'triage::needs-info',
        'triage::ready',
        'template::support-readiness',
        'template::support-shadow-program',
        'sensitive-data',
        'sensitive-data-reviewed',
        'sla::at-risk',
        'sla::breached',
        'Active Now::Focus',
        'Active Now::In Progress',
        'Active Now::Review',
        'SWIR',
        'approval::present',
        'approval::missing',
      ].sort(),
    );
    // The handbook is watched for merge requests only: approval labels and, as it is public, the
    // label sensitive-data-merge-requests adds; nothing of the issue rules.
    expect(missing('handbook')).toEqual(['approval::missing', 'approval::present', 'sensitive-data']);
  });

  it('prints the hint about missing labels once, after them', () => {
    const lines = stdout.split('\n');
    const hints = lines.filter((l) => l.startsWith('hint: '));
    expect(hints).toEqual([
      'hint: GitLab creates a missing label (grey, no description) when the bot first adds it, and lists filtered by it stay empty until then: `npx support-bot labels sync` creates them all',
    ]);
    const lastMissing = lines.length - 1 - [...lines].reverse().findIndex((l) => l.includes('has no label'));
    expect(lines.indexOf(hints[0]!)).toBeGreaterThan(lastMissing);
  });

  it('says which configured templates a project lacks: those are checked against the shipped copy', () => {
    expect(stdout).toContain(
      `warning: projects.feedback (gitlab-com/support/feedback) has no .gitlab/issue_templates/Indirect Feedback.md: "Indirect Feedback" is checked against the bot's shipped copy (\`npx support-bot templates sync\` proposes it)`,
    );
    expect(stdout).not.toContain('Support Readiness.md');
  });

  it('warns about a team group the bot is not in', () => {
    expect(stdout).toContain('warning: @support-bot is not a member of sla.teamGroup gitlab-com/support: members of its private subgroups will not count as the team');
    const warnings = stdout.split('\n').filter((l) => l.startsWith('warning: ')).length;
    expect(warnings).toBeGreaterThanOrEqual(44);
    expect(stdout).toContain(`remote: 4 projects checked, ${warnings} warning(s)`);
  });

  it("warns where the bot's role is below what its features there need, and is silent where it is enough", () => {
    const roles = stdout.split('\n').filter((l) => (l.includes(' role') || l.includes('is not a member (')) && !l.includes('comments'));
    expect(roles).toEqual([
      'warning: projects.support-team-meta (gitlab-com/support/support-team-meta): @support-bot is not a member (of the project or its groups); it needs Developer or higher (Reporter to label issues and make them confidential, Developer to set the approval commit status): GitLab drops what a lower role may not change without an error',
      'warning: projects.internal-requests (gitlab-com/support/internal-requests): @support-bot has the Reporter role; it needs Developer or higher (Developer to set the approval commit status): GitLab drops what a lower role may not change without an error',
      'warning: projects.feedback (gitlab-com/support/feedback): @support-bot is not a member (of the project or its groups); it needs Developer or higher (Reporter to label issues and make them confidential, Developer to set the approval commit status): GitLab drops what a lower role may not change without an error',
    ]);
  });

  it("warns in each public project where the bot's role cannot edit other people's comments on merge requests (admin_note: Maintainer), and not in a private one", () => {
    const comments = stdout.split('\n').filter((l) => l.includes("other people's comments"));
    const tail =
      "it cannot redact secrets in other people's comments on this public project's merge requests (GitLab lets only Maintainer or higher edit another user's comment): those stay public until their authors edit them";
    expect(comments).toEqual([
      `warning: projects.support-team-meta (gitlab-com/support/support-team-meta): @support-bot is not a member (of the project or its groups); ${tail}`,
      `warning: projects.feedback (gitlab-com/support/feedback): @support-bot is not a member (of the project or its groups); ${tail}`,
      `warning: projects.handbook (gitlab-com/content-sites/handbook): @support-bot has the Developer role; ${tail}`,
    ]);
  });
});
