// Every bot note carries a hidden marker so that a rule owns at most one note per
// issue or merge request, edited rather than repeated.

const MARKER_PATTERN = /<!-- support-bot:([a-z0-9][a-z0-9-]*) -->/;

export function noteMarker(key: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(key)) throw new Error(`note key must be lower-case kebab-case (got "${key}")`);
  return `<!-- support-bot:${key} -->`;
}

export function withMarker(key: string, body: string): string {
  return `${noteMarker(key)}\n${body.trimEnd()}\n`;
}

export function markerKey(body: string): string | undefined {
  return MARKER_PATTERN.exec(body)?.[1];
}
