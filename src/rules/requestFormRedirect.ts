import { z } from 'zod';
import { projectKey } from '../config/fields.js';
import { configSection } from '../config/section.js';
import { requestFormMatch } from '../templates/requestForm.js';
import { namedLabels } from '../config/labelUses.js';
import { issueRule } from './types.js';

/** Licensing, subscription, trial and grace-period requests go to the internal request form, not to issues. */
const requestFormSchema = z.strictObject({
  /** Key of the project (under `projects`) where such issues get the redirect. */
  project: projectKey.default('internal-requests'),
  url: z.url().default('https://gitlab-com.gitlab.io/support/internal-requests-form/'),
  /**
   * Words or phrases (whole words, any case, plural `s` allowed) that mark such a request: in the title or
   * description of a free-form issue, in the name of a template (a licensing template), or in a sentence of a
   * templated request that also has one of `askingWords`.
   */
  keywords: z.array(z.string().trim().min(1)).min(1).default(['license', 'licence', 'licensing', 'subscription', 'trial', 'grace period', 'true-up']),
  /**
   * Words that make a sentence of a templated request (a Contact Request, say) ask for what `keywords` name:
   * "please extend their trial". A templated request whose title or answers only mention a trial or a
   * subscription stays what its template says.
   */
  askingWords: z.array(z.string().trim().min(1)).min(1).default(['extend', 'extended', 'extending', 'extension', 'reissue', 'reset', 'transfer', 'refund', 'waive']),
});

/** This rule's section of the config file, `requestForm:`. */
export const requestFormConfig = configSection('requestForm', requestFormSchema, { projectKeys: ['project'] });

declare module '../config/schema.js' {
  interface RuleConfigs {
    requestForm: z.output<typeof requestFormSchema>;
  }
}

export const requestFormRedirect = issueRule({
  key: 'request-form-redirect',
  description: 'Sends licensing, subscription, trial and grace-period requests to the internal request form',
  config: requestFormConfig,
  messages: {
    'request-form-redirect': [
      { formUrl: 'https://form.example/', matched: ['license'], template: '' },
      { formUrl: 'https://form.example/', matched: ['trial', 'grace period'], template: 'Contact Request' },
    ],
  },
  runsOn: {
    events: { 'issue.open': 'always', 'issue.reopen': 'always', 'issue.update': ['title', 'description'] },
    jobs: ['sweep'],
    projects: (project, config) => project.key === config.requestForm.project,
  },
  labels: (config) => namedLabels(config, 'redirectRequestForm', 'ready'),
  // An issue that follows a template is that kind of request: the project's templates say which.
  needs: ['issueTemplates'],
  applies: (subject) => subject.issue.state === 'opened',
  plan(subject, ctx) {
    const { requestForm, labels } = ctx.config;
    const match = requestFormMatch(subject, ctx.config, ctx.facts.issueTemplates);
    if (!match) return [];
    const matched = match.keywords;
    const why = { template: 'its template is', body: 'its description asks for', text: 'it mentions' }[match.via];
    const reason = `${why} ${matched.join(', ')}: handled through the internal request form`;
    return [
      // Not ready for triage here: the form is where it gets picked up (template-check does not mark it ready either).
      { action: { type: 'addLabels', labels: [labels.redirectRequestForm] }, reason },
      { action: { type: 'removeLabels', labels: [labels.ready] }, reason },
      {
        action: {
          type: 'upsertNote',
          key: 'request-form-redirect',
          body: ctx.render.render('request-form-redirect', { formUrl: requestForm.url, matched, template: match.template ?? '' }),
        },
        reason,
      },
    ];
  },
});
