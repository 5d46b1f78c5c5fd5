import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { findSecrets } from '../src/secrets/detectors.js';
import { fake, tokenBody } from '../tests/secrets/fakeSecrets.js';
import { line } from './measure.js';
import { CASES, cpuMs, growth, SIZES } from './scanners.js';

// Issue 12, guard rails: the hand-written detectors (`src/secrets/detectors.ts`) against
// secretlint's recommended preset (@secretlint/core + secretlint-rule-preset-recommend) on
// the same inputs: secrets a support tracker sees (the detector tests' cases, PEM keys with
// realistic bodies), text that must not be flagged, the evasions of issue 12 case 11,
// and the pathological inputs of `bench/scanners.ts`, timed at 128 KB to 1 MB.
// Scored on what redaction needs: the whole secret inside one reported range.
// `npm run bench -- compare-secrets`.

type Range = [number, number];

const ZWSP = '\u200b';
const percentEncode = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
/**
 * A PEM key as pasted from a file: 64-character base64 lines that start the way real keys
 * do (ASN.1 `MI…`, OpenSSH `b3BlbnNzaC1rZXktdjE…`): secretlint checks that, ours does not.
 */
const realisticKey = (label: string) => {
  const magic = label.startsWith('OPENSSH') ? 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ' : 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ';
  const body = (magic + Array.from({ length: 12 }, (_, i) => tokenBody(64, i).replace(/[_-]/g, 'A')).join('')).slice(0, 12 * 64);
  return [`-----BEGIN ${label}-----`, ...(body.match(/.{1,64}/g) ?? []), `-----END ${label}-----`].join('\n');
};

interface Case {
  name: string;
  text: string;
  /** The secret as written; empty when nothing may be flagged. */
  secret: string;
}

const secretCase = (name: string, secret: string, around = (s: string) => `Here you go: ${s}, thanks`): Case => ({ name, text: around(secret), secret });

const SECRETS: Case[] = [
  secretCase('glpat- personal access token', fake.glpat),
  secretCase('routable glpat- token', fake.glpatRoutable),
  secretCase('gldt- deploy token', fake.gldt),
  secretCase('glrt- runner token', fake.glrt),
  secretCase('GR1348941 runner registration token', fake.runnerRegistration),
  secretCase('glptt- trigger token', fake.glptt),
  secretCase('glft- feed token', fake.glft),
  secretCase('gloas- OAuth secret', fake.gloas),
  secretCase('glcbt- CI/CD job token', `glcbt-${tokenBody(24, 3)}`),
  secretCase('feed_token URL parameter', tokenBody(20, 3), (s) => `https://gitlab.com/u.atom?feed_token=${s}`),
  secretCase('AWS access key ID', fake.awsKeyId, (s) => `aws_access_key_id = ${s}`),
  secretCase('AWS secret access key', fake.awsSecret, (s) => `aws_secret_access_key = ${s}`),
  secretCase('Slack bot token', fake.slackBot),
  secretCase('Slack webhook URL', fake.slackWebhook),
  secretCase('Google API key', fake.googleApiKey),
  ...['RSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'].map((label) =>
    secretCase(`PEM ${label}`, realisticKey(label), (s) => `Key:\n\n${s}\n\nPublic part is fine.`),
  ),
  secretCase('PEM key with CRLF line endings', realisticKey('RSA PRIVATE KEY').replaceAll('\n', '\r\n'), (s) => `Key:\r\n${s}\r\nthanks`),
  secretCase('truncated PEM key (no END line)', realisticKey('RSA PRIVATE KEY').split('\n').slice(0, 6).join('\n'), (s) => `Key:\n${s}\nThanks for looking`),
  secretCase('GCP service-account key (escaped newlines)', realisticKey('PRIVATE KEY').replaceAll('\n', '\\n'), (s) => `{"type": "service_account", "private_key": "${s}\\n"}`),
  secretCase('PRIVATE-TOKEN header', tokenBody(20, 2), (s) => `curl -H "PRIVATE-TOKEN: ${s}"`),
  secretCase('Authorization: Bearer header', tokenBody(32, 5), (s) => `curl -H "Authorization: Bearer ${s}"`),
  secretCase('password assignment', 'hunter22!', (s) => `password: ${s}`),
];

/** Services the recommended preset has rules for; GitHub, npm and URL credentials were taken into detectors.ts from it. */
const alnum = (length: number, seed: number) => tokenBody(length, seed).replace(/[_-]/g, 'q');
const OTHER_SERVICES: Case[] = [
  secretCase('GitHub classic token', `ghp_${alnum(36, 12)}`),
  secretCase('GitHub fine-grained token', `github_pat_${alnum(82, 13)}`),
  secretCase('npm token', `npm_${alnum(36, 14)}`, (s) => `//registry.npmjs.org/:_authToken=${s}`),
  secretCase('password in an https URL', 'S3cretPassw0rd', (s) => `git clone https://deploy:${s}@git.example.com/a/b.git`),
  secretCase('password in a PostgreSQL URL', 'S3cretPassw0rd', (s) => `DATABASE_URL=postgres://gitlab:${s}@db.internal:5432/gitlabhq`),
  secretCase('Stripe secret key', `sk_live_${alnum(24, 15)}`),
  secretCase('SendGrid API key', `SG.${alnum(22, 16)}.${alnum(43, 17)}`),
];

const EVASIONS: Case[] = [
  secretCase('dash percent-encoded', `glpat%2D${fake.glpat.slice(6)}`),
  secretCase('whole token percent-encoded', percentEncode(fake.glpat)),
  secretCase('zero-width space inside', `${fake.glpat.slice(0, 14)}${ZWSP}${fake.glpat.slice(14)}`),
  secretCase('soft hyphen inside', `${fake.glpat.slice(0, 14)}\u00ad${fake.glpat.slice(14)}`),
  secretCase('`_` right before glpat-', fake.glpat, (s) => `export GITLAB_${s}`),
  secretCase('split over two lines after token:', `${fake.glpat.slice(0, 16)}\n${fake.glpat.slice(16)}`, (s) => `token: ${s}\nthanks`),
  secretCase('character reference for the dash', `glpat&#45;${fake.glpat.slice(6)}`),
  secretCase('Markdown escape of the dash', `glpat\\-${fake.glpat.slice(6)}`),
];

const CLEAN: Case[] = [
  'password: required',
  'password = <your password>',
  'password=${DB_PASSWORD}',
  'token: your-token-here',
  'Use a personal access token (glpat-…) with the api scope',
  `glpat-${'x'.repeat(20)}`,
  'AKIAIOSFODNN7EXAMPLE',
  'curl -H "JOB-TOKEN: $CI_JOB_TOKEN"',
  'commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904 and pipeline 1234567890',
  'The file starts with -----BEGIN OPENSSH PRIVATE KEY----- and must stay on the server',
  'Clone https://gitlab.com/gitlab-org/gitlab.git and see https://example.com/a%20b',
  'Logs: user@example.com signed in from 10.0.0.1; request id 01HF3Z8Q7K9V2M4N6P8R0T2W4Y',
].map((text) => ({ name: text, text, secret: '' }));

const ownRanges = (text: string): Range[] => findSecrets(text).map((m) => [m.start, m.end]);

export async function secretlintRanges(text: string): Promise<Range[]> {
  const result = await lintSource({
    source: { filePath: '/issue.md', content: text, ext: '.md', contentType: 'text' },
    options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] }, maskSecrets: false },
  });
  return result.messages.map((m) => m.range as Range);
}

/** found: one range covers the whole secret; partly: a range overlaps it; missed. For clean text: flagged or not. */
function score(c: Case, ranges: Range[]): 'found' | 'partly' | 'missed' | 'clean' | 'false positive' {
  if (!c.secret) return ranges.length === 0 ? 'clean' : 'false positive';
  const start = c.text.indexOf(c.secret);
  const end = start + c.secret.length;
  if (ranges.some(([s, e]) => s <= start && e >= end)) return 'found';
  return ranges.some(([s, e]) => s < end && e > start) ? 'partly' : 'missed';
}

async function asyncCpuMs(run: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  await run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

export async function compareSecrets(): Promise<string[]> {
  const out: string[] = ['secrets comparison: detectors.ts vs secretlint preset-recommend; "found" = the whole secret inside one reported range'];
  for (const [group, cases] of [
    ['secrets', SECRETS],
    ['other services', OTHER_SERVICES],
    ['evasions (case 11)', EVASIONS],
    ['text that is not a secret', CLEAN],
  ] as const) {
    const own = cases.map((c) => score(c, ownRanges(c.text)));
    const lint = await Promise.all(cases.map(async (c) => score(c, await secretlintRanges(c.text))));
    const tally = (scores: string[]) => {
      const counts = new Map<string, number>();
      for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1);
      return [...counts].map(([k, v]) => `${v} ${k}`).join(', ');
    };
    out.push(line(`  ${group} (${cases.length})`, { 'detectors.ts': tally(own), secretlint: tally(lint) }));
    const missedBySecretlint = cases.filter((_c, i) => lint[i] !== 'found' && lint[i] !== 'clean').map((c) => c.name);
    const missedByOwn = cases.filter((_c, i) => own[i] !== 'found' && own[i] !== 'clean').map((c) => c.name);
    if (missedByOwn.length > 0) out.push(`    detectors.ts: not found or flagged: ${missedByOwn.join('; ')}`);
    if (missedBySecretlint.length > 0) out.push(`    secretlint: not found or flagged: ${missedBySecretlint.join('; ')}`);
  }

  out.push('secrets comparison: pathological inputs, CPU ms at 128K/256K/512K/1M (larger sizes skipped once one takes over 2 s)');
  for (const c of CASES.filter((x) => x.scanner === 'findSecrets')) {
    const own: number[] = [];
    const lint: number[] = [];
    for (const size of SIZES) {
      const text = c.make(size);
      if ((own.at(-1) ?? 0) <= 2000)
        own.push(
          Math.min(
            cpuMs(() => findSecrets(text)),
            cpuMs(() => findSecrets(text)),
          ),
        );
      if ((lint.at(-1) ?? 0) <= 2000) lint.push(await asyncCpuMs(() => secretlintRanges(text)));
    }
    const fmt = (ts: number[]) =>
      `${[...ts.map((t) => (t < 10 ? t.toFixed(1) : t.toFixed(0))), ...Array<string>(SIZES.length - ts.length).fill('skipped')].join('/')} (${ts.length > 1 ? growth(ts).perDoubling.toFixed(1) : '?'}x)`;
    out.push(line(`  ${c.input}`.slice(0, 44).padEnd(44), { 'detectors.ts': fmt(own), secretlint: fmt(lint) }));
  }
  return out;
}
