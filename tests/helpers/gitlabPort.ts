import type { GitLabPort } from '../../src/engine/ports.js';

/**
 * A test double that implements only the GitLab writes its test expects, as the whole port:
 * any other write fails the test, naming the method.
 */
export function gitlabPort(fake: Partial<GitLabPort>): GitLabPort {
  return new Proxy(fake, {
    get(target, name, receiver) {
      if (name in target) return Reflect.get(target, name, receiver);
      return () => Promise.reject(new Error(`unexpected write in this test: ${String(name)}`));
    },
  }) as GitLabPort;
}
