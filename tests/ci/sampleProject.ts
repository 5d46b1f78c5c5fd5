import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const run = promisify(execFile);
const GITLAB_CI_LOCAL = resolve('node_modules/.bin/gitlab-ci-local');

/**
 * A throwaway Git project for gitlab-ci-local: this checkout's templates/ (so
 * `component: $CI_SERVER_FQDN/$CI_PROJECT_PATH/<name>@$CI_COMMIT_SHA` resolves to them, as
 * GitLab resolves a component of the project itself), the given files on a `main` that
 * `origin/main` points at, and then, as a merge request would, a commit changing `changed`.
 */
export class SampleProject {
  readonly dir = mkdtempSync(join(tmpdir(), 'support-bot-ci-'));

  constructor(files: Record<string, string>, changed: readonly string[] = []) {
    cpSync('templates', join(this.dir, 'templates'), { recursive: true });
    for (const [path, text] of Object.entries(files)) this.write(path, text);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: this.dir, stdio: 'ignore' });
    git('init', '--quiet', '--initial-branch=main');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'main');
    git('remote', 'add', 'origin', 'https://gitlab.example.com/support/sample.git');
    git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/main');
    if (changed.length > 0) {
      for (const path of changed) this.write(path, `changed ${path}\n`);
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '-A');
      git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '--quiet', '-m', 'merge request');
    }
  }

  private write(path: string, text: string): void {
    mkdirSync(dirname(join(this.dir, path)), { recursive: true });
    writeFileSync(join(this.dir, path), text);
  }

  private args(variables: Record<string, string>, schema: boolean): string[] {
    return [`--json-schema-validation=${schema}`, ...Object.entries(variables).flatMap(([k, v]) => ['--variable', `${k}=${v}`])];
  }

  private async gitlabCiLocal(args: string[]): Promise<string> {
    const env = { ...process.env, GCL_IGNORE_PREDEFINED_VARS: 'CI_PIPELINE_SOURCE,CI_COMMIT_TAG,CI_MERGE_REQUEST_IID' };
    const { stdout } = await run(GITLAB_CI_LOCAL, args, { cwd: this.dir, env, timeout: 60_000 });
    return stdout;
  }

  /**
   * Job names of a pipeline with these variables. With `schema`, gitlab-ci-local also checks the
   * merged configuration against GitLab's CI JSON schema and fails (so this throws) when it does not pass.
   */
  async jobs(variables: Record<string, string>, { schema = false } = {}): Promise<string[]> {
    const stdout = await this.gitlabCiLocal(['--list', ...this.args(variables, schema)]);
    const lines = stdout.split('\n');
    const header = lines.findIndex((l) => /^name\s+description\s+stage/.test(l));
    if (header < 0) throw new Error(`no job list in: ${stdout}`);
    return lines
      .slice(header + 1)
      .map((l) => l.split(/\s+/)[0]!)
      .filter(Boolean);
  }

  /** The merged configuration (includes and components expanded, inputs interpolated). */
  async merged(variables: Record<string, string> = {}): Promise<Record<string, Record<string, unknown>>> {
    const stdout = await this.gitlabCiLocal(['--preview', ...this.args(variables, false)]);
    return parse(stdout.slice(stdout.indexOf('---'))) as Record<string, Record<string, unknown>>;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
