import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Returns a checker that compares a delivered X-Gitlab-Token with the secret in
 * constant time (hashing first equalises lengths; the secret's hash is computed once).
 */
export function tokenChecker(secret: string): (delivered: string | undefined) => boolean {
  const expected = digest(secret);
  return (delivered) => delivered !== undefined && timingSafeEqual(digest(delivered), expected);
}
