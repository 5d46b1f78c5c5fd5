import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A real-shaped GitLab webhook delivery from tests/fixtures/webhooks, deep-copied with overrides applied by the caller. */
export function webhookFixture<T = Record<string, any>>(key: string): T {
  return JSON.parse(readFileSync(join('tests', 'fixtures', 'webhooks', `${key}.json`), 'utf8')) as T;
}
