import { readIntent, type ReleaseIntent } from '../dormant/releaseIntent.js';
import { subjectItem } from '../subjects.js';
import { defineFact } from './define.js';

/** A release the bot started on a request and has not recorded as finished. */
export interface PendingRelease {
  intent: ReleaseIntent;
  /** The account's username now (`GET /users/:id`), or null when it no longer exists. */
  current: string | null;
}

/**
 * The release intent the bot wrote into this request before a rename (issue 21 #2), while
 * its record still says "releasing", and the account's name now: one user read, and only
 * then. Only the bot's own notes count: a comment cannot make the bot claim a release.
 */
export const dormantReleaseFact = defineFact({
  description: 'a release the bot started on this Name Squatting Request and has not recorded yet, with the account read by its id',
  scope: 'subject',
  stage: 2,
  param: (subject) => subject,
  key: (subject) => `${subject.project.id}#${subjectItem(subject).iid}`,
  async load(subject, { gateway, me, fact }): Promise<PendingRelease | null> {
    const [notes, bot] = await Promise.all([fact('notes', subject), me()]);
    const ours = notes.filter((n) => !n.system && n.author.username.toLowerCase() === bot.username.toLowerCase());
    const intent = ours.map((n) => readIntent(n.body)).reduce<ReleaseIntent | null>((latest, i) => i ?? latest, null);
    if (!intent) return null;
    const user = await gateway.getUser(intent.userId);
    return { intent, current: user?.username ?? null };
  },
});
