import { requestFormKeywords } from '../templates/requestForm.js';
import { namedLabels } from '../config/labelUses.js';
import { issueRule } from './types.js';

export const requestFormRedirect = issueRule({
  key: 'request-form-redirect',
  description: 'Sends licensing, subscription, trial and grace-period requests to the internal request form',
  runsOn: {
    events: { 'issue.open': 'always', 'issue.reopen': 'always', 'issue.update': ['title', 'description'] },
    jobs: ['sweep'],
    projects: (project, config) => project.key === config.requestForm.project,
  },
  labels: (config) => namedLabels(config, 'redirectRequestForm'),
  // An issue that follows a template is that kind of request: the project's templates say which.
  needs: ['issueTemplates'],
  applies: (subject) => subject.issue.state === 'opened',
  plan(subject, ctx) {
    const { requestForm, labels } = ctx.config;
    const matched = requestFormKeywords(subject, ctx.config, ctx.facts.issueTemplates);
    if (matched.length === 0) return [];
    const reason = `mentions ${matched.join(', ')}: handled through the internal request form`;
    return [
      { action: { type: 'addLabels', labels: [labels.redirectRequestForm] }, reason },
      {
        action: { type: 'upsertNote', key: 'request-form-redirect', body: ctx.render.render('request-form-redirect', { formUrl: requestForm.url, matched }) },
        reason,
      },
    ];
  },
});
