// User text quoted in a bot note must not act: no quick actions, no mentions that
// notify people, no hidden HTML comments.

const HTML_COMMENT = /<!--[\s\S]*?(-->|$)/g;
const QUICK_ACTION_LINE = /^(\s*)\/(?=[a-z_])/gim;
const MENTION = /(^|[^\w`])@([A-Za-z0-9_][A-Za-z0-9_.\-/]*)/g;

export function neutralize(text: string): string {
  return text
    .replace(HTML_COMMENT, '')
    .replace(QUICK_ACTION_LINE, '$1\u200b/')
    .replace(MENTION, '$1`@$2`');
}
