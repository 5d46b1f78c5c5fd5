import { ConfigError } from '../config/errors.js';
import { SetupError } from '../config/env.js';
import { GitLabUnreachable, isGitLabError, redactSecrets } from '../gitlab/errors.js';

/**
 * Runs a command body and turns failures into exit codes with a one-line reason:
 * 2 for what the operator must fix (config, env, a rejected token), 1 for the rest.
 */
export async function guarded(body: () => Promise<number>, stderr: NodeJS.WritableStream = process.stderr): Promise<number> {
  // Whatever the error, the token never reaches the terminal or the CI log.
  const err = { write: (text: string) => stderr.write(redactSecrets(text)) };
  try {
    return await body();
  } catch (error) {
    if (error instanceof ConfigError) {
      err.write(`support-bot: config ${error.source} is invalid:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return 2;
    }
    if (error instanceof SetupError) {
      err.write(`support-bot: ${error.message}\n`);
      return 2;
    }
    if (error instanceof GitLabUnreachable) {
      // A wrong GITLAB_URL is the operator's to fix (2); a connection lost mid-run is a failed run (1).
      err.write(`support-bot: ${error.message}\n`);
      return error.firstContact ? 2 : 1;
    }
    if (isGitLabError(error) && (error.status === 401 || error.status === 403)) {
      err.write(`support-bot: GitLab refused the token (${error.status}) on ${error.method} ${error.endpoint}: check GITLAB_TOKEN and its api scope\n`);
      return 2;
    }
    err.write(`support-bot: ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
}

/** A stream that redacts secret values before writing (for command output that may quote an error). */
export function redacting(stream: NodeJS.WritableStream): NodeJS.WritableStream {
  return { write: (text: string) => stream.write(redactSecrets(text)) } as NodeJS.WritableStream;
}
