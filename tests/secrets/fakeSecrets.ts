// Secret-shaped test values, assembled at run time so that the repository itself
// holds no string a secret scanner (or GitLab's push protection) would flag.

const CHARS = 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY_zC-';

/** A deterministic token body of `length` characters. */
export function tokenBody(length: number, seed = 0): string {
  let body = '';
  for (let i = 0; i < length; i += 1) body += CHARS[(i * 7 + seed) % CHARS.length];
  return body;
}

export const fake = {
  glpat: `glpat-${tokenBody(20)}`,
  glpatRoutable: `glpat-${tokenBody(30, 1)}.01${'a1b2c3d'}`,
  gldt: `gldt-${tokenBody(20, 2)}`,
  glrt: `glrt-${tokenBody(20, 3)}`,
  runnerRegistration: `GR1348941${tokenBody(20, 4)}`,
  glptt: `glptt-${tokenBody(40, 5)}`,
  glft: `glft-${tokenBody(20, 6)}`,
  gloas: `gloas-${tokenBody(64, 7)}`,
  awsKeyId: `AKIA${'Q7RT2MZ4X9VB3LKD'}`,
  awsSecret: `${'wJalrXUtnFEMI/K7MDENG/bPxRfiCY'}${'9Qz2Lm4Np7'}`,
  slackBot: `xoxb-${'123456789012-1234567890123-'}${tokenBody(24, 8).replace(/[_-]/g, 'q')}`,
  slackWebhook: `https://hooks.slack.com/services/T${'00000000'}/B${'00000000'}/${'XXXXXXXXXXXXXXXXXXXXXXXX'}`,
  googleApiKey: `AIza${tokenBody(35, 9)}`,
  privateKeyBody: `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${tokenBody(30, 10)}\n${tokenBody(40, 11)}`,
};

export function pemBlock(kind = 'RSA PRIVATE KEY', newline = '\n'): string {
  return [`-----BEGIN ${kind}-----`, ...fake.privateKeyBody.split('\n'), `-----END ${kind}-----`].join(newline);
}
