import { describe, expect, it } from 'vitest';
import { findSecrets, secretKinds } from '../../src/secrets/detectors.js';
import { fake, pemBlock, tokenBody } from './fakeSecrets.js';

const spans = (text: string) => findSecrets(text).map((m) => text.slice(m.start, m.end));

describe('findSecrets', () => {
  it.each([
    ['personal access token', fake.glpat],
    ['routable personal access token', fake.glpatRoutable],
    ['deploy token', fake.gldt],
    ['runner authentication token', fake.glrt],
    ['runner registration token', fake.runnerRegistration],
    ['pipeline trigger token', fake.glptt],
    ['feed token', fake.glft],
    ['OAuth application secret', fake.gloas],
    ['AWS access key ID', fake.awsKeyId],
    ['Slack bot token', fake.slackBot],
    ['Slack webhook URL', fake.slackWebhook],
    ['Google API key', fake.googleApiKey],
  ])('finds a %s as exactly its own span', (_name, secret) => {
    expect(spans(`Here you go: ${secret}, thanks`)).toEqual([secret]);
  });

  it.each(['gloas', 'gldt', 'glrt', 'glrtr', 'glcbt', 'glptt', 'glft', 'glimt', 'glagent', 'glsoat', 'glffct', 'glwt'])('knows the %s- prefix', (prefix) => {
    const token = `${prefix}-${tokenBody(24, 2)}`;
    expect(spans(`token ${token} end`)).toEqual([token]);
    expect(secretKinds(findSecrets(token))).toEqual(['gitlab-token']);
  });

  it('finds a token inside a fenced code block and inside a URL query', () => {
    const text = `\`\`\`shell\ncurl --header "PRIVATE-TOKEN: ${fake.glpat}" https://gitlab.com/api/v4/user\n\`\`\`\nand https://gitlab.com/u.atom?feed_token=${tokenBody(20, 3)}`;
    expect(spans(text)).toEqual([fake.glpat, tokenBody(20, 3)]);
  });

  it('takes a whole private key block, PEM, OpenSSH and PGP, with LF or CRLF', () => {
    for (const kind of ['RSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'PRIVATE KEY', 'PGP PRIVATE KEY BLOCK', 'EC PRIVATE KEY']) {
      for (const newline of ['\n', '\r\n']) {
        const block = pemBlock(kind, newline);
        expect(spans(`Key:${newline}${block}${newline}Public part is fine.`)).toEqual([block]);
      }
    }
  });

  it('takes the private key of a GCP service-account JSON file (escaped newlines) and its key id', () => {
    const keyId = 'a'.repeat(20) + '0123456789abcdef0123';
    const key = pemBlock('PRIVATE KEY', '\\n');
    const json = `{\n  "type": "service_account",\n  "private_key_id": "${keyId}",\n  "private_key": "${key}\\n",\n  "client_email": "bot@p.iam.gserviceaccount.com"\n}`;
    expect(spans(json)).toEqual([keyId, key]);
    expect(secretKinds(findSecrets(json))).toEqual(['private-key', 'gcp-private-key-id']);
  });

  it('takes a truncated private key up to the closing fence, a line of prose, or the end', () => {
    const begin = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA' + tokenBody(40);
    expect(spans(`\`\`\`\n${begin}\n\`\`\`\nafter`)).toEqual([begin]);
    expect(spans(`${begin}\nThanks for looking`)).toEqual([begin]);
    expect(spans(`see:\n${begin}`)).toEqual([begin]);
  });

  it("finds GitHub and npm tokens (rules taken from secretlint's recommended preset)", () => {
    const ghp = `ghp_${tokenBody(36, 12).replace(/-/g, 'q')}`;
    const fineGrained = `github_pat_${tokenBody(82, 13).replace(/-/g, 'q')}`;
    const npm = `npm_${tokenBody(36, 14).replace(/-/g, 'q')}`;
    expect(spans(`mirror with ${ghp}, or ${fineGrained}; .npmrc: //registry.npmjs.org/:_authToken=${npm}`)).toEqual([ghp, fineGrained, npm]);
    expect(secretKinds(findSecrets(`${ghp} ${npm}`))).toEqual(['github-token', 'npm-token']);
    expect(findSecrets(`ghp_${'x'.repeat(20)}`)).toEqual([]);
  });

  it('takes the password of a URL with credentials, not the URL, and leaves placeholders', () => {
    expect(spans('DATABASE_URL=postgres://gitlab:S3cretPassw0rd@db.internal:5432/gitlabhq')).toEqual(['S3cretPassw0rd']);
    expect(spans('git clone https://oauth2:Zx9-pq7Lm@gitlab.example.com/group/project.git')).toEqual(['Zx9-pq7Lm']);
    expect(spans('redis://:hunter22@redis:6379/0')).toEqual(['hunter22']); // Redis: a password and no user name
    for (const text of [
      'https://user:password@example.com',
      'https://user:<password>@example.com',
      'https://oauth2:${TOKEN}@gitlab.com/a.git',
      'https://gitlab.com:443/a/b',
      'https://u:****@h',
    ]) {
      expect(findSecrets(text)).toEqual([]);
    }
  });

  it('takes only the value of an AWS secret access key assignment', () => {
    const text = `aws_access_key_id = ${fake.awsKeyId}\naws_secret_access_key = ${fake.awsSecret}\nregion = eu-west-1`;
    expect(spans(text)).toEqual([fake.awsKeyId, fake.awsSecret]);
  });

  it('takes the value of password and token assignments that look like credentials', () => {
    expect(spans('password=hunter22!')).toEqual(['hunter22!']);
    expect(spans(`DB_PASSWORD: "S3cr3t-Pa55"`)).toEqual([]); // not the bare name `password`
    expect(spans(`password: "S3cr3t-Pa55"`)).toEqual(['S3cr3t-Pa55']);
    expect(spans(`curl -H "PRIVATE-TOKEN: ${tokenBody(20, 2)}"`)).toEqual([tokenBody(20, 2)]);
    expect(spans(`Authorization: Bearer ${tokenBody(32, 5)}`)).toEqual([tokenBody(32, 5)]);
  });

  it.each([
    'password: required',
    'Reset your password=now',
    'password = <your password>',
    'password=${DB_PASSWORD}',
    'password: ********',
    'password: [REDACTED]',
    'token: your-token-here',
    'api_key = {{ api_key }}',
    'The secret: patience',
    'Use a personal access token (glpat-…) with the api scope',
    'glpat-tooShort',
    `glpat-${'x'.repeat(20)}`,
    'AKIAIOSFODNN7EXAMPLE',
    'curl -H "JOB-TOKEN: $CI_JOB_TOKEN"',
    'Contact user@example.com about AKIA',
    'commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904 and pipeline 1234567890',
    'see CVE-2024-1234 and the PRIVATE KEY section of the docs',
    'The file starts with -----BEGIN OPENSSH PRIVATE KEY----- and must stay on the server',
    '-----BEGIN PRIVATE KEY-----',
    'pwd: /home/git1',
  ])('does not flag %j', (text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it('can leave password-style assignments out', () => {
    expect(findSecrets('password=hunter22!', { passwordAssignments: false })).toEqual([]);
    expect(findSecrets(fake.glpat, { passwordAssignments: false })).toHaveLength(1);
  });

  it('merges overlapping findings into one span with both kinds', () => {
    const text = `access_token=${fake.glpat}`;
    const found = findSecrets(text);
    expect(found).toHaveLength(1);
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe(fake.glpat);
    expect([...found[0]!.kinds].sort()).toEqual(['gitlab-token', 'password-assignment']);
  });

  it('copes with empty, odd and huge text', () => {
    expect(findSecrets('')).toEqual([]);
    expect(findSecrets(null)).toEqual([]);
    const huge = `${'lorem ipsum @all /close <!-- x --> password: '.repeat(30_000)}${fake.glpat}`;
    const started = performance.now();
    expect(spans(huge)).toEqual([fake.glpat]);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
