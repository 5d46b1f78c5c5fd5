import { fake, pemBlock, tokenBody } from './fakeSecrets.js';

// Issue 21, case 4: the corpus of disguised secrets. Each is how a secret can be written so
// that GitLab renders (or a reader copies) the secret while a pattern on the raw text
// misses it. `written` is the secret exactly as written, what redaction must replace whole;
// `text` puts it in a sentence. Used by tests/secrets/disguises.test.ts and bench/disguises.ts.

export interface Disguise {
  name: string;
  written: string;
  text: string;
}

const token = fake.glpat; // glpat-aG1rW-fL4vC5kQ8zE9pU
const at = (n: number, insert: string, secret = token) => `${secret.slice(0, n)}${insert}${secret.slice(n)}`;
const github = `ghp_${tokenBody(36, 5).replace(/-/g, 'x')}`;
const npm = `npm_${tokenBody(36, 6).replace(/-/g, 'y')}`;
const fullwidth = (s: string) => [...s].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0)! + 0xfee0) : c)).join('');
const boldMath = (s: string) => [...s].map((c) => (c >= 'a' && c <= 'z' ? String.fromCodePoint(0x1d41a + c.charCodeAt(0) - 97) : c)).join('');
const circled = (s: string) => [...s].map((c) => (c >= 'a' && c <= 'z' ? String.fromCodePoint(0x24d0 + c.charCodeAt(0) - 97) : c)).join('');
const percentEncode = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join('');
const decimalRefs = (s: string) => [...s].map((c) => `&#${c.codePointAt(0)};`).join('');

const inSentence = (name: string, written: string, after = ''): Disguise => ({ name, written, text: `My token is ${written}${after} and it fails.` });
const around = (name: string, written: string, text: string): Disguise => ({ name, written, text });
const key = (name: string, header: (label: string, side: 'BEGIN' | 'END') => string): Disguise => {
  const block = pemBlock()
    .replace('-----BEGIN RSA PRIVATE KEY-----', header('RSA PRIVATE KEY', 'BEGIN'))
    .replace('-----END RSA PRIVATE KEY-----', header('RSA PRIVATE KEY', 'END'));
  return around(name, block, `Key:\n\n${block}\n\nThe public part is fine.`);
};

export const DISGUISES: readonly Disguise[] = [
  // HTML character references, named and numeric (GitLab's Markdown renders them all).
  inSentence('&shy; inside the body', at(14, '&shy;')),
  inSentence('&ZeroWidthSpace; inside the body', at(14, '&ZeroWidthSpace;')),
  inSentence('&NegativeMediumSpace; inside the body', at(10, '&NegativeMediumSpace;')),
  inSentence('&zwnj; inside the body', at(12, '&zwnj;')),
  inSentence('&zwj; inside the prefix', at(3, '&zwj;')),
  inSentence('&NoBreak; (word joiner) inside the body', at(16, '&NoBreak;')),
  inSentence('&#8203; (decimal zero-width space)', at(14, '&#8203;')),
  inSentence('&#x200B; (hex zero-width space)', at(14, '&#x200B;')),
  inSentence('&#X200b; (upper-case X)', at(14, '&#X200b;')),
  inSentence('&#173; (decimal soft hyphen)', at(9, '&#173;')),
  inSentence('&#x00AD; (hex soft hyphen, padded)', at(9, '&#x00AD;')),
  inSentence('&#65279; (BOM) inside the body', at(18, '&#65279;')),
  inSentence('&hyphen; for the dash', `glpat&hyphen;${token.slice(6)}`),
  inSentence('&dash; for the dash', `glpat&dash;${token.slice(6)}`),
  inSentence('&minus; for the dash', `glpat&minus;${token.slice(6)}`),
  inSentence('&#x2010; (Unicode hyphen) for the dash', `glpat&#x2010;${token.slice(6)}`),
  inSentence('&#x67; for the first letter', `&#x67;${token.slice(1)}`),
  inSentence('every character a decimal reference', decimalRefs(token)),
  inSentence('&lowbar; in a GitHub token', github.replace('_', '&lowbar;')),
  inSentence('&UnderBar; in an npm token', npm.replace('_', '&UnderBar;')),
  inSentence('&#x2d; in the dash of the body', token.replace('W-f', 'W&#x2d;f')),
  // HTML inside the token: rendered as nothing between its halves.
  inSentence('<wbr> inside the body', at(14, '<wbr>')),
  inSentence('<wbr/> inside the body', at(14, '<wbr/>')),
  inSentence('<b></b> inside the body', at(12, '<b></b>')),
  inSentence('<span></span> inside the prefix', at(2, '<span></span>')),
  inSentence('an HTML comment inside the body', at(14, '<!-- no secret here -->')),
  inSentence('an empty HTML comment inside the body', at(14, '<!---->')),
  inSentence('half inside <code>', `${token.slice(0, 12)}<code>${token.slice(12)}`, '</code>'),
  inSentence('half inside <em> with a class', `${token.slice(0, 12)}<em class="x">${token.slice(12)}`, '</em>'),
  inSentence('<br> inside the body', at(14, '<br>')),
  // Markdown emphasis and code spans splitting the token.
  inSentence('second half in bold', `${token.slice(0, 12)}**${token.slice(12)}`, '**'),
  around('first half in bold', `${token.slice(0, 12)}**${token.slice(12)}`, `My token is **${token.slice(0, 12)}**${token.slice(12)} and it fails.`),
  inSentence('second half in italics', `${token.slice(0, 12)}*${token.slice(12)}`, '*'),
  inSentence('second half in bold italics', `${token.slice(0, 12)}***${token.slice(12)}`, '***'),
  around('first half in a code span', `${token.slice(0, 12)}\`${token.slice(12)}`, `My token is \`${token.slice(0, 12)}\`${token.slice(12)} and it fails.`),
  inSentence('second half struck through', `${token.slice(0, 12)}~~${token.slice(12)}`, '~~'),
  inSentence('middle in bold', `${token.slice(0, 10)}**${token.slice(10, 16)}**${token.slice(16)}`),
  // Split over lines.
  around('split over two lines', `${token.slice(0, 14)}\n${token.slice(14)}`, `token:\n${token.slice(0, 14)}\n${token.slice(14)}\nThanks`),
  around(
    'split over three lines',
    `${token.slice(0, 10)}\n${token.slice(10, 18)}\n${token.slice(18)}`,
    `token:\n${token.slice(0, 10)}\n${token.slice(10, 18)}\n${token.slice(18)}\n\nThanks!`,
  ),
  around(
    'split over three indented lines',
    `${token.slice(0, 10)}\n    ${token.slice(10, 18)}\n    ${token.slice(18)}`,
    `    ${token.slice(0, 10)}\n    ${token.slice(10, 18)}\n    ${token.slice(18)}\n\nThanks!`,
  ),
  around(
    'split over three CRLF lines',
    `${token.slice(0, 9)}\r\n${token.slice(9, 17)}\r\n${token.slice(17)}`,
    `Token:\r\n${token.slice(0, 9)}\r\n${token.slice(9, 17)}\r\n${token.slice(17)}\r\n\r\nThanks!`,
  ),
  // Invisible code points (Unicode's Default_Ignorable_Code_Point).
  inSentence('variation selector 16 inside the body', at(14, '\ufe0f')),
  inSentence('variation selector 1 inside the body', at(14, '\ufe00')),
  inSentence('variation selector 17 (supplement) inside the body', at(14, '\u{e0100}')),
  inSentence('Hangul filler inside the body', at(14, '\u3164')),
  inSentence('Mongolian free variation selector inside the body', at(14, '\u180b')),
  inSentence('combining grapheme joiner inside the body', at(14, '\u034f')),
  inSentence('left-to-right mark inside the prefix', at(2, '\u200e')),
  inSentence('Khmer inherent vowel inside the body', at(14, '\u17b4')),
  // Unicode hyphens and dashes for the dash.
  ...[
    ['hyphen U+2010', '\u2010'],
    ['non-breaking hyphen U+2011', '\u2011'],
    ['figure dash U+2012', '\u2012'],
    ['en dash U+2013', '\u2013'],
    ['em dash U+2014', '\u2014'],
    ['minus sign U+2212', '\u2212'],
    ['small hyphen-minus U+FE63', '\ufe63'],
    ['fullwidth hyphen-minus U+FF0D', '\uff0d'],
  ].map(([name, dash]) => inSentence(`${name} for the dash`, `glpat${dash}${token.slice(6)}`)),
  // Compatibility forms (Unicode NFKC).
  inSentence('fullwidth token', fullwidth(token)),
  inSentence('fullwidth prefix', `${fullwidth('glpat')}${token.slice(5)}`),
  inSentence('mathematical bold prefix', `${boldMath('glpat')}${token.slice(5)}`),
  inSentence('circled prefix letters', `${circled('glpat')}${token.slice(5)}`),
  around('fullwidth AWS access key ID', fullwidth(fake.awsKeyId), `aws_access_key_id = ${fullwidth(fake.awsKeyId)}`),
  around('PRIVATE-TOKEN header with a fullwidth colon', tokenBody(24, 9), `curl --header "PRIVATE-TOKEN\uff1a ${tokenBody(24, 9)}" https://gitlab.example.com/api/v4/user`),
  // Private key headers.
  key('key header in lower case', (label, side) => `-----${side.toLowerCase()} ${label.toLowerCase()}-----`),
  key('key header in mixed case', (label, side) => `-----${side[0]}${side.slice(1).toLowerCase()} Rsa Private Key-----`),
  key('key header with an HTML comment inside', (label, side) => `-----${side} RSA <!-- mine -->PRIVATE KEY-----`),
  key('key header with a zero-width space', (label, side) => `-----${side} RSA PRI\u200bVATE KEY-----`),
  key('key header dashes as character references', (label, side) => `&#45;&#45;&#45;&#45;&#45;${side} ${label}&#45;&#45;&#45;&#45;&#45;`),
  key('key header dashes as en dashes', (label, side) => `\u2013\u2013\u2013\u2013\u2013${side} ${label}\u2013\u2013\u2013\u2013\u2013`),
  // Other kinds, and several disguises at once.
  inSentence('AWS key ID with &ZeroWidthSpace;', `${fake.awsKeyId.slice(0, 10)}&ZeroWidthSpace;${fake.awsKeyId.slice(10)}`),
  inSentence('Slack token with &#x2d; dashes', fake.slackBot.replaceAll('-', '&#x2d;')),
  around('password with &shy;', 'hun&shy;ter22!', 'password: hun&shy;ter22!'),
  around('URL password before &commat;', 's3cr3tpass', 'git clone https://deploy:s3cr3tpass&commat;gitlab.example.com/g/p.git'),
  around('bearer token after &nbsp;', tokenBody(24, 11), `Authorization: Bearer&nbsp;${tokenBody(24, 11)}`),
  around('GitHub token with a Markdown escape', github.replace('_', '\\_'), `GH: ${github.replace('_', '\\_')}`),
  inSentence('<wbr>, &shy; and a zero-width space at once', `glpat&#x2d;${token.slice(6, 10)}<wbr>${token.slice(10, 14)}&shy;${token.slice(14, 18)}\u200b${token.slice(18)}`),
  inSentence('fullwidth prefix, en dash and bold half', `${fullwidth('glpat')}\u2013${token.slice(6, 14)}**${token.slice(14)}`, '**'),
  // Issue 21, fourth round. Markdown that GitLab renders away around or inside a token.
  around('first part in _ emphasis', `${token.slice(0, 11)}_${token.slice(11)}`, `My token is _${token.slice(0, 11)}_${token.slice(11)} and it fails.`),
  around('first part in __ strong emphasis', `${token.slice(0, 11)}__${token.slice(11)}`, `My token is __${token.slice(0, 11)}__${token.slice(11)} and it fails.`),
  inSentence('<span> with a style inside the body', at(14, '<span style="color:red">')),
  inSentence('second half in <sup>', `${token.slice(0, 14)}<sup>${token.slice(14)}`, '</sup>'),
  inSentence('<sub></sub> inside the prefix', at(3, '<sub></sub>')),
  inSentence('an HTML comment with line breaks inside the body', at(14, '<!--\nnothing\nto see\n-->')),
  inSentence('an HTML comment inside the prefix', at(2, '<!-- x -->')),
  inSentence('backslash escape of the dash and an underscore', `glpat\\-${token.slice(6).replace('_', '\\_')}`),
  inSentence('backslash escape in the body', token.replace('W-f', 'W\\-f')),
  around('link text holding the token', token, `See [${token}](https://gitlab.example.com/-/user_settings/personal_access_tokens).`),
  around(
    'link text holding the first half',
    `${token.slice(0, 14)}](https://example.com)${token.slice(14)}`,
    `See [${token.slice(0, 14)}](https://example.com)${token.slice(14)} now.`,
  ),
  around(
    'reference link holding the first half',
    `${token.slice(0, 14)}][1]${token.slice(14)}`,
    `See [${token.slice(0, 14)}][1]${token.slice(14)} now.\n\n[1]: https://example.com`,
  ),
  around('autolink with private_token', token, `<https://gitlab.example.com/api/v4/projects?private_token=${token}>`),
  around('reference-style link definition with private_token', tokenBody(20, 12), `[api]: https://gitlab.example.com/api/v4/user?private_token=${tokenBody(20, 12)}`),
  around('footnote definition holding the token', token, `See the note.[^1]\n\n[^1]: ${token}`),
  around('table cells splitting the token', `${token.slice(0, 12)} | ${token.slice(12)}`, `| part one | part two |\n|---|---|\n| ${token.slice(0, 12)} | ${token.slice(12)} |`),
  inSentence('<br> with a slash and a line break inside the body', at(14, '<br />\n')),
  around(
    'token split by a <details> summary',
    `${token.slice(0, 12)}</summary>${token.slice(12)}`,
    `<details><summary>${token.slice(0, 12)}</summary>${token.slice(12)}</details>`,
  ),
  inSentence('<kbd> around the body', `glpat-<kbd>${token.slice(6)}`, '</kbd>'),
  // Tokens in URLs.
  around('token as the password of a clone URL', token, `git clone https://oauth2:${token}@gitlab.com/group/project.git`),
  around('token as the user of a clone URL', token, `git clone https://${token}@gitlab.com/group/project.git`),
  around('unprefixed token as a clone URL password', tokenBody(20, 13), `git clone https://oauth2:${tokenBody(20, 13)}@gitlab.com/g/p.git`),
  around('private_token in a query string', tokenBody(20, 14), `curl "https://gitlab.example.com/api/v4/projects?per_page=5&private_token=${tokenBody(20, 14)}"`),
  around('feed_token in an Atom URL', tokenBody(20, 15), `https://gitlab.com/dashboard/issues.atom?feed_token=${tokenBody(20, 15)}&state=opened`),
  around('job_token in a query string', tokenBody(24, 16), `curl "https://gitlab.example.com/api/v4/job?job_token=${tokenBody(24, 16)}"`),
  around('private_token with a percent-encoded dash', `glpat%2D${token.slice(6)}`, `https://gitlab.com/api/v4/user?private_token=glpat%2D${token.slice(6)}`),
  around('every character of a query token percent-encoded', percentEncode(token), `https://gitlab.com/api/v4/user?private_token=${percentEncode(token)}`),
  // Space and invisible code points.
  inSentence('no-break space inside the body', at(14, '\u00a0')),
  inSentence('narrow no-break space inside the body', at(14, '\u202f')),
  inSentence('ideographic space inside the body', at(14, '\u3000')),
  inSentence('figure space inside the body', at(14, '\u2007')),
  inSentence('soft hyphen inside the prefix', at(3, '\u00ad')),
  inSentence('word joiner inside the body', at(14, '\u2060')),
  inSentence('byte order mark inside the body', at(14, '\ufeff')),
  ...[
    ['left-to-right embedding U+202A', '\u202a'],
    ['right-to-left embedding U+202B', '\u202b'],
    ['pop directional formatting U+202C', '\u202c'],
    ['left-to-right override U+202D', '\u202d'],
    ['right-to-left override U+202E', '\u202e'],
    ['left-to-right isolate U+2066', '\u2066'],
    ['right-to-left isolate U+2067', '\u2067'],
    ['first strong isolate U+2068', '\u2068'],
    ['pop directional isolate U+2069', '\u2069'],
  ].map(([name, control]) => inSentence(`${name} inside the body`, at(14, control!))),
  inSentence('tag characters inside the body', at(14, '\u{e0067}\u{e006c}\u{e007f}')),
  inSentence('language tag U+E0001 inside the prefix', at(2, '\u{e0001}')),
  inSentence('combining acute accent on a body letter', at(12, '\u0301')),
  // The mark after the last letter is left: alone it decorates nothing of the secret.
  inSentence('combining marks on every body letter', `glpat-${[...token.slice(6)].map((c) => `${c}\u0332`).join('')}`.slice(0, -1), '\u0332'),
  inSentence('combining enclosing circle on a prefix letter', at(1, '\u20dd')),
  // Letter-spacing.
  inSentence('every character separated by a space', [...token].join(' ')),
  inSentence('every character separated by a no-break space', [...token].join('\u00a0')),
  around('letter-spaced token in a code span', [...token].join(' '), `Token: \`${[...token].join(' ')}\`, sorry.`),
  // Tokens in configuration snippets.
  around('GITLAB_TOKEN in an env file', token, `GITLAB_TOKEN="${token}"`),
  around('export of an unprefixed TOKEN', tokenBody(24, 17), `export TOKEN=${tokenBody(24, 17)}`),
  around('Authorization: Bearer header', tokenBody(24, 18), `-H "Authorization: Bearer ${tokenBody(24, 18)}"`),
  around('authorization header in lower case', tokenBody(24, 19), `authorization: bearer ${tokenBody(24, 19)}`),
  around('Authorization: Basic credentials', 'dXNlcjpzM2NyM3QtcGFzc3dvcmQ=', `Authorization: Basic dXNlcjpzM2NyM3QtcGFzc3dvcmQ=`),
  around('PRIVATE-TOKEN header', tokenBody(20, 20), `--header "PRIVATE-TOKEN: ${tokenBody(20, 20)}"`),
  around('Private-Token header in mixed case', tokenBody(20, 21), `-H 'Private-Token: ${tokenBody(20, 21)}'`),
  around('X-Gitlab-Token webhook header', 'hook-s3cret-2026', `curl -H "X-Gitlab-Token: hook-s3cret-2026" https://bot.example.com/webhook`),
  around('token in a JSON document', tokenBody(24, 22), `{"url": "https://gitlab.com", "token": "${tokenBody(24, 22)}"}`),
  around('token in YAML', token, `gitlab:\n  url: https://gitlab.com\n  token: ${token}\n`),
  around('access_token in a Python snippet', tokenBody(24, 23), `gl = gitlab.Gitlab(url, private_token="${tokenBody(24, 23)}")`),
  // Every GitLab token prefix.
  ...(
    [
      ['glpat routable token', fake.glpatRoutable],
      ['gldt deploy token', fake.gldt],
      ['glrt runner authentication token', fake.glrt],
      ['glrtr runner token', `glrtr-${tokenBody(20, 24)}`],
      ['glcbt CI/CD job token', `glcbt-64_${tokenBody(20, 25)}`],
      ['glptt pipeline trigger token', fake.glptt],
      ['glft feed token', fake.glft],
      ['glft path-dependent feed token', `glft-${'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6'}-${'4242'}`],
      ['glimt incoming email token', `glimt-${tokenBody(25, 26)}`],
      ['glagent agent token', `glagent-${tokenBody(50, 27)}`],
      ['gloas OAuth application secret', fake.gloas],
      ['glsoat SCIM token', `glsoat-${tokenBody(20, 28)}`],
      ['glffct feature flags client token', `glffct-${tokenBody(20, 29)}`],
      ['glwt workspace token', `glwt-${tokenBody(20, 30)}`],
      ['GR1348941 runner registration token', fake.runnerRegistration],
    ] as const
  ).map(([name, secret]) => inSentence(`${name} with a zero-width space`, at(10, '\u200b', secret))),
  // Other detectors, disguised.
  inSentence('Google API key with a soft hyphen', at(12, '&shy;', fake.googleApiKey)),
  inSentence('npm token with a no-break space', at(12, '\u00a0', npm)),
  around('Slack webhook URL with a zero-width space', at(30, '\u200b', fake.slackWebhook), `Post to ${at(30, '\u200b', fake.slackWebhook)} please`),
  around('AWS secret key with a word joiner', at(20, '\u2060', fake.awsSecret), `aws_secret_access_key = ${at(20, '\u2060', fake.awsSecret)}`),
  around(
    'GitLab session cookie with a zero-width space',
    `${'0f1e2d3c4b5a'}\u200b${'69788796a5b4c3d2e1f0'}`,
    `Cookie: _gitlab_session=${'0f1e2d3c4b5a'}\u200b${'69788796a5b4c3d2e1f0'}; other=1`,
  ),
  around('instance-prefixed token', `glpat-${tokenBody(22, 31)}`, `Use SIE-glpat-${tokenBody(22, 31)} for the API.`),
];
