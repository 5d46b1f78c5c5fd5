import type { BotConfig } from '../config/schema.js';
import type { UserRef } from '../gitlab/types.js';

/**
 * The user GitLab creates for a project or group access token:
 * `ResourceAccessTokens::CreateService` names it with the prefix `<project|group>_<id>_bot`,
 * then `Gitlab::Utils::UsernameAndEmailGenerator` adds `_<32 hex digits>` and, on a clash, a
 * number (app/services/resource_access_tokens/create_service.rb,
 * lib/gitlab/utils/username_and_email_generator.rb); GitLab before the random segment
 * numbered the prefix itself (`project_12_bot1`).
 */
const ACCESS_TOKEN_USER = /^(project|group)_\d+_bot(?:_[0-9a-f]+|\d*)$/i;

/**
 * Why an author is an integration rather than a person, from its username alone (list
 * data): listed in `sla.ignoreAuthors` (the Zendesk integration's user, say) or a project
 * or group access token. Undefined when the name does not say; GitLab's `bot` flag
 * (the `authorAccount` fact) covers the other bot users.
 */
export function integrationByName(author: Pick<UserRef, 'username'>, config: BotConfig): string | undefined {
  const name = author.username.toLowerCase();
  if (config.sla.ignoreAuthors.some((listed) => listed.toLowerCase() === name)) return `@${author.username} is listed in sla.ignoreAuthors`;
  const token = ACCESS_TOKEN_USER.exec(author.username);
  if (token) return `@${author.username} is a ${token[1]!.toLowerCase()} access token`;
  return undefined;
}
