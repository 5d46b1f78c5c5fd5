import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares a delivered X-Gitlab-Token with the secret in constant time (hashing first equalises lengths). */
export function tokenMatches(delivered: string | undefined, secret: string): boolean {
  if (delivered === undefined) return false;
  const a = createHash('sha256').update(delivered).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}
