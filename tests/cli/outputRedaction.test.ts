import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, redactAndClip, redactSecrets, registerSecret } from '../../src/gitlab/errors.js';
import { runCli } from '../helpers/cli.js';

// Issue 21, case 8: every line the bot prints, on any stream, goes through one redactor
// before any truncation, for secrets of any length. A "GitLab" (and a webhook target for
// `replay`) that quotes the credential it received in its error body, placed so that it
// straddles the 300-character cut of error bodies; every command that prints is run on it.

const CLI_TIMEOUT = 120_000;
const LONG = 'glpat-StraddlesTheCut42x';
const SHORT = 'Zq9x';
const payloadFile = join(mkdtempSync(join(tmpdir(), 'redaction-')), 'issue.json');
writeFileSync(payloadFile, readFileSync('tests/fixtures/webhooks/issue.open.json', 'utf8'));

let echo: Server;
let echoUrl: string;
beforeAll(async () => {
  echo = createServer((req, res) => {
    const credential = String(req.headers['private-token'] ?? req.headers['x-gitlab-token'] ?? req.headers.authorization ?? '');
    res.writeHead(400, { 'content-type': 'application/json' });
    // The credential starts at character 290 of the message: cut at 300, it would be half printed.
    res.end(JSON.stringify({ message: `${'x'.repeat(280)} token: ${credential} is not valid for ${req.url}` }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

/** The commands' output paths: logger, stderr, stdout, `templates sync` failures, dry-run output, `replay`'s answer. */
const COMMANDS: readonly (readonly string[])[] = [
  ['run', 'sweep', '--dry-run'],
  ['run', 'swir'],
  ['handle-event'],
  ['templates', 'sync'],
  ['config', 'validate', '--remote'],
  ['replay', payloadFile, '--url', 'ECHO/webhook'],
];
/** A short token takes the paths that print a body as it came. */
const SHORT_COMMANDS = COMMANDS.filter((c) => ['templates', 'replay', 'handle-event'].includes(c[0]!));

describe('the one redactor', () => {
  it('redacts a registered secret of any length, before cutting', () => {
    registerSecret('k7');
    expect(redactSecrets('key k7 here')).toBe(`key ${REDACTED} here`);
    registerSecret(LONG);
    const body = `${'x'.repeat(290)}${LONG} trailing`;
    expect(redactAndClip(body, 300)).toBe(`${'x'.repeat(290)}${REDACTED}`.slice(0, 299) + '…');
    expect(redactAndClip(body, 300)).not.toContain(LONG.slice(0, 8));
  });
});

describe.concurrent('every command that prints', () => {
  for (const token of [LONG, SHORT]) {
    it(
      `never prints a ${token.length}-character GITLAB_TOKEN (or the webhook secret) quoted back, whole or cut`,
      async ({ expect }) => {
        const env = { GITLAB_TOKEN: token, GITLAB_URL: echoUrl, GITLAB_WEBHOOK_SECRET: `${token}-hook`, TRIGGER_PAYLOAD: payloadFile };
        const commands = token === LONG ? COMMANDS : SHORT_COMMANDS;
        const results = await Promise.all(
          commands.map((args) =>
            runCli(
              args.map((a) => a.replace('ECHO', echoUrl)),
              env,
              CLI_TIMEOUT,
            ),
          ),
        );
        const printed = results.map((r, i) => `$ ${commands[i]!.join(' ')}\n${r.stdout}${r.stderr}`).join('\n');
        for (const r of results) expect(r.stdout + r.stderr).toMatch(/\S/);
        expect(printed).toContain(`token: ${REDACTED}`);
        expect(printed).not.toContain(token);
        // Not even the part before a 300-character cut.
        if (token === LONG) expect(printed).not.toContain(token.slice(0, 9));
      },
      CLI_TIMEOUT,
    );
  }
});
