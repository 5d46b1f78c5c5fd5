import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { cliEnv, SHIPPED_CLI } from '../helpers/cli.js';

// Issue 19: the sandbox recipe in the docs stops the server it starts, also when run as a
// script (bash without job control, where `kill %1` left it running). Run as written, with
// the checkout's build for `npx support-bot` and a free port for 3080: when the script ends,
// nothing may listen any more (and a sandbox left running would hold the pipe open).

const recipe = /Try the real CLI against the sandbox:\n\n```sh\n([\s\S]*?)```/.exec(readFileSync('docs/cli.md', 'utf8'))?.[1];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('the sandbox recipe in docs/cli.md', () => {
  it('runs a dry-run sweep against the sandbox and stops the sandbox when the script ends', async () => {
    expect(recipe).toBeDefined();
    const port = await freePort();
    const script = recipe!.replaceAll('npx support-bot', `node ${SHIPPED_CLI.dist}`).replaceAll('3080', String(port));
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile('bash', ['-c', script], { env: cliEnv(), timeout: 60_000 }, (error, stdout) => resolve({ code: error ? (error.code as number | null) : 0, stdout }));
    });
    expect(result.stdout).toMatch(/sweep: 4 projects, 0 issues seen/);
    expect(result.code).toBe(0);
    expect(await listening(port)).toBe(false);
  }, 90_000);
});
