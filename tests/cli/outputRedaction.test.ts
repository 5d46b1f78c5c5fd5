import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, redactAndClip, redactSecrets, registerSecret } from '../../src/gitlab/errors.js';
import { runCli, startCli } from '../helpers/cli.js';
import { fake, pemBlock, tokenBody } from '../secrets/fakeSecrets.js';

// Issue 21, case 8, and the house rule "no secret appears in any output, log or message,
// whatever its length or disguise". A "GitLab" (and a webhook target for `replay`) quotes back
// the credential it received in its error body, in a disguise (as is, every character an HTML
// character reference, percent-encoded, split by a zero-width space or a soft hyphen), placed so
// that it straddles the 300-character cut of error bodies, next to secrets the bot never held
// (another user's token, a cloud key, a Slack webhook URL, a private key). Every command that
// prints runs on it, with GITLAB_TOKENs of 3 to 64 characters: nothing of any of them is printed.

const CLI_TIMEOUT = 120_000;
const payloadFile = join(mkdtempSync(join(tmpdir(), 'redaction-')), 'issue.json');
writeFileSync(payloadFile, readFileSync('tests/fixtures/webhooks/issue.open.json', 'utf8'));

/** How the echo quotes a credential; chosen by the first segment of the path (`GITLAB_URL=http://…/<disguise>`). */
const DISGUISES: Record<string, (secret: string) => string> = {
  plain: (s) => s,
  entities: (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join(''),
  percent: (s) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
  zwsp: (s) => `${s.slice(0, 2)}\u200b${s.slice(2)}`,
  shy: (s) => `${s.slice(0, 1)}&shy;${s.slice(1)}`,
};
const DISGUISE_NAMES = Object.keys(DISGUISES);

/** Secrets the bot never held, quoted by the echo too: found by the detectors, in disguise or not. */
const FOREIGN = [`glpat-${tokenBody(20, 40)}`, fake.awsKeyId, fake.slackWebhook, fake.googleApiKey, pemBlock().split('\n').slice(0, 2).join('\n')];
const foreignText = `others: ${FOREIGN[0]!.slice(0, 9)}\u200b${FOREIGN[0]!.slice(9)} ${FOREIGN.slice(1).join(' ')}`;

/** GITLAB_TOKENs: shorter than six characters (never searched for before issue 21), a GitLab token, a long unprefixed one. */
const TOKENS = ['k7Q', 'Zq9xW', 'glpat-StraddlesTheCut42x', tokenBody(64, 41).replace(/[-_]/g, 'Z')];

let echo: Server;
let echoUrl: string;
beforeAll(async () => {
  echo = createServer((req, res) => {
    const credential = String(req.headers['private-token'] ?? req.headers['x-gitlab-token'] ?? req.headers.authorization ?? '');
    const disguise = DISGUISES[req.url?.split('/')[1] ?? ''] ?? DISGUISES.plain!;
    res.writeHead(400, { 'content-type': 'application/json' });
    // The credential starts at character 290 of the message: cut at 300, it would be half printed.
    res.end(JSON.stringify({ message: `${'x'.repeat(280)} token: ${disguise(credential)} is not valid for ${req.url}; ${foreignText}` }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

/** Every command that prints: logger, stderr, stdout, sync failures, dry-run output, `replay`'s answer, `check-mr`. */
const COMMANDS: readonly (readonly string[])[] = [
  ['run', 'sweep', '--dry-run'],
  ['run', 'sla'],
  ['run', 'dormant'],
  ['run', 'swir'],
  ['handle-event'],
  ['check-mr', '--set-status'],
  ['templates', 'sync'],
  ['labels', 'sync'],
  ['schedules', 'sync'],
  ['config', 'validate', '--remote'],
  ['replay', payloadFile, '--url', 'ECHO/webhook'],
];

/** What must not be printed of a secret: itself, and for a long one any 8 characters of it (a cut, a split). */
function leaks(printed: string, secret: string): string[] {
  if (secret.length <= 8) return printed.includes(secret) ? [secret] : [];
  const found: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i += 1) if (printed.includes(secret.slice(i, i + 8))) found.push(secret.slice(i, i + 8));
  return found;
}

describe('the one redactor', () => {
  it('redacts a registered secret of any length, before cutting', () => {
    registerSecret('k7');
    expect(redactSecrets('key k7 here')).toBe(`key ${REDACTED} here`);
    registerSecret(TOKENS[2]);
    const body = `${'x'.repeat(290)}${TOKENS[2]} trailing`;
    expect(redactAndClip(body, 300)).toBe(`${'x'.repeat(290)}${REDACTED}`.slice(0, 299) + '…');
    expect(redactAndClip(body, 300)).not.toContain(TOKENS[2]!.slice(0, 8));
  });

  it.each(DISGUISE_NAMES)('redacts a registered secret written %s, whole', (name) => {
    registerSecret('Wp3-short');
    const written = DISGUISES[name]!('Wp3-short');
    expect(redactSecrets(`echo: ${written}.`)).toBe(`echo: ${REDACTED}.`);
  });

  it('redacts the secrets it never held as the detectors find them', () => {
    const redacted = redactSecrets(foreignText);
    for (const secret of FOREIGN) expect(leaks(redacted, secret)).toEqual([]);
  });
});

describe('every command that prints', () => {
  it(
    'never prints a GITLAB_TOKEN of 3 to 64 characters, the webhook secret or a secret in an error body, in any disguise',
    async () => {
      // Each command meets one token and one disguise, in turn: every token and every disguise is met by two commands or more.
      const runs = COMMANDS.map((args, c) => {
        const token = TOKENS[c % TOKENS.length]!;
        const base = `${echoUrl}/${DISGUISE_NAMES[c % DISGUISE_NAMES.length]!}`;
        const env = { GITLAB_TOKEN: token, GITLAB_URL: base, GITLAB_WEBHOOK_SECRET: `${token}-hook`, TRIGGER_PAYLOAD: payloadFile, CI_MERGE_REQUEST_IID: '1', CI_PROJECT_ID: '1' };
        return {
          args,
          token,
          run: runCli(
            args.map((a) => a.replace('ECHO', base)),
            env,
            CLI_TIMEOUT,
          ),
        };
      });
      for (const { args, token, run } of runs) {
        const { stdout, stderr } = await run;
        const printed = `${stdout}${stderr}`;
        expect(printed, args.join(' ')).toMatch(/\S/);
        for (const secret of [token, `${token}-hook`, ...FOREIGN]) expect(leaks(printed, secret), `${args.join(' ')}: ${secret}`).toEqual([]);
        for (const disguise of Object.values(DISGUISES)) if (token.length > 3) expect(printed, args.join(' ')).not.toContain(disguise(token));
      }
      const all = (await Promise.all(runs.map((r) => r.run))).map((r) => r.stdout + r.stderr).join('\n');
      expect(all).toContain(`token: ${REDACTED}`);
    },
    CLI_TIMEOUT,
  );
});

describe('config validate', () => {
  it(
    'quotes the YAML around an error without a secret that stands on the quoted line',
    async () => {
      const secret = `glpat-${tokenBody(22, 42)}`;
      const config = readFileSync('config/support-bot.yml', 'utf8').replace(
        /^ {2}url: https:\/\/gitlab\.com$/m,
        `  url: https://oauth2:${secret}@gitlab.example.com\n  url: https://x:${secret.slice(0, 9)}\u200b${secret.slice(9)}@gitlab.com`,
      );
      const file = join(mkdtempSync(join(tmpdir(), 'redaction-config-')), 'support-bot.yml');
      writeFileSync(file, config);
      const result = await runCli(['config', 'validate', file], {}, CLI_TIMEOUT);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/Map keys must be unique at line \d+[^]*\[REDACTED\]@gitlab\.com/);
      expect(leaks(result.stdout + result.stderr, secret)).toEqual([]);
    },
    CLI_TIMEOUT,
  );
});

describe('serve', () => {
  it(
    'answers /healthz, /metrics and a 404 without the token, the webhook secret or a secret in a path',
    async () => {
      const token = 'glpat-ServeEchoesNothing42';
      const { child, match, output } = await startCli(
        ['serve', '--port', '0'],
        { GITLAB_TOKEN: token, GITLAB_URL: `${echoUrl}/entities`, GITLAB_WEBHOOK_SECRET: 'hk', LOG_LEVEL: 'debug' },
        /listening on (\S+)/,
      );
      const answers: string[] = [];
      try {
        const base = new URL(match[1]!).origin;
        const body = JSON.parse(readFileSync(payloadFile, 'utf8'));
        body.project.path_with_namespace = 'gitlab-com/support/internal-requests';
        body.object_attributes.description = `mine: ${FOREIGN[0]}`;
        const delivered = await fetch(`${base}/webhook`, {
          method: 'POST',
          headers: { 'x-gitlab-token': 'hk', 'x-gitlab-event': 'Issue Hook', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        answers.push(await delivered.text());
        const forged = await fetch(`${base}/webhook`, { method: 'POST', headers: { 'x-gitlab-token': `${FOREIGN[0]}`, 'x-gitlab-event': 'Issue Hook' }, body: '{}' });
        answers.push(await forged.text());
        await expect.poll(output, { timeout: 60_000 }).toContain('event failed');
        for (const path of ['/healthz', '/metrics', `/nope?private_token=${FOREIGN[0]}`, `/${token}`]) {
          const response = await fetch(`${base}${path}`);
          answers.push(`${path.length}: ${response.status} ${await response.text()}`);
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((resolve) => child.once('close', resolve));
      }
      const printed = `${answers.join('\n')}\n${output()}`;
      for (const secret of [token, ...FOREIGN]) expect(leaks(printed, secret), secret).toEqual([]);
      expect(output()).not.toMatch(/"hk"|\bhk\b/);
    },
    CLI_TIMEOUT,
  );
});
