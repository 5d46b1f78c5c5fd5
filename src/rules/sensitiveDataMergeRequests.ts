import { namedLabels } from '../config/labelUses.js';
import { mergeFindings, recordedFindings, secretsIn } from '../secrets/findings.js';
import { commentRedactions, isPublic, NOTICE_KEY, NOTICE_SAMPLE, noticeData, readState, reasonFor, textRedactions } from './sensitiveData.js';
import { mergeRequestRule, type BaseContext, type MergeRequestSubject, type RuleResult } from './types.js';

// Secrets in a public project's merge requests (issue 21 case 5). A merge request cannot be
// made confidential, so the bot redacts what its role may edit — the title and description
// (the author or Developer: `update_merge_request`), other people's comments (Maintainer:
// `admin_note`) — labels it, and tells the author to revoke and rotate, saying plainly that
// GitLab's history still shows the old text to everyone who can see the merge request.
// Shares sensitive-data's settings (`sensitiveData:`) and its label.

/** What the last change could have added: the sweep reads comments wherever there are any; a labelled merge request may still owe its notice. */
function worthPlanning(subject: MergeRequestSubject, ctx: BaseContext<never>): boolean {
  const { mergeRequest: mr } = subject;
  const { trigger, config } = ctx;
  if (mr.labels.includes(config.labels.sensitiveData)) return true;
  const found = (text: string) => secretsIn(text, config.sensitiveData.replacement).length > 0;
  if (trigger.kind === 'event' && trigger.event.kind === 'note') return found(trigger.event.noteBody);
  const ownText = found(`${mr.title}\n${mr.description}`);
  return trigger.kind === 'event' ? ownText : ownText || (mr.userNotesCount ?? 1) > 0;
}

export const sensitiveDataMergeRequests = mergeRequestRule({
  key: 'sensitive-data-merge-requests',
  description: 'In public projects, redacts secrets in merge requests (title and description; comments as Maintainer), labels them and asks the author to revoke and rotate',
  messages: { 'sensitive-data-merge-request': [NOTICE_SAMPLE] },
  runsOn: {
    events: {
      'merge_request.open': 'always',
      'merge_request.reopen': 'always',
      // A merged or closed merge request stays public: a secret on it must not stay for good.
      'merge_request.close': 'always',
      'merge_request.merge': 'always',
      'merge_request.update': ['title', 'description', 'labels'],
      'note.merge_request': 'always',
    },
    jobs: ['sweep'],
    // Closed and merged ones too, those updated within bot.closedIssuesWindowDays.
    states: ['opened', 'closed'],
    projects: isPublic,
  },
  needs: ['notes', 'botUser'],
  labels: (config) => namedLabels(config, 'sensitiveData'),
  applies: worthPlanning,
  plan(subject, ctx) {
    const { mergeRequest: mr, project } = subject;
    const { sensitiveData: settings, labels } = ctx.config;
    const { people, notice, now, history } = readState(mr, ctx);
    // Nothing to redact: a notice is still owed when an earlier run redacted (its change notes
    // say so) and was killed, or its POST failed, before posting it.
    if (now.findings.length === 0 && (notice || !mr.labels.includes(labels.sensitiveData) || history.length === 0)) return [];
    const findings = mergeFindings(recordedFindings(notice?.body), history, now.findings);
    const reason = reasonFor('public merge request', findings);
    const results: RuleResult[] = textRedactions(mr, now, settings.replacement);
    results.push({ action: { type: 'addLabels', labels: [labels.sensitiveData] }, reason });
    const body = ctx.render.render('sensitive-data-merge-request', noticeData(findings, project, mr.webUrl, settings.replacement, settings.disclosureUrl));
    results.push({ action: { type: 'upsertNote', key: NOTICE_KEY, body }, reason });
    results.push(...commentRedactions(project, now.comments, people, settings.replacement));
    return results;
  },
});
