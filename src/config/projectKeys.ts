// The config keys that name something else in the file (a project under `projects`, a
// template under `templates` by name or by slug), checked the same way wherever they are:
// the core's and every rule section's `projectKeys` and `templateKeys`. Only what the file
// writes is checked: a default naming a project the file does not configure (the default
// `activeNow.project` in a config for other projects) leaves that feature nowhere to run.

interface Found {
  path: string;
  value: unknown;
}

/** The values a path pattern (`scope[].project`, `*.projects[]`) reaches in a written object, with the concrete path of each. */
function reach(root: unknown, pattern: string): Found[] {
  let found: Found[] = [{ path: '', value: root }];
  for (const segment of pattern.split('.')) {
    const name = segment.replace(/\[\]$/, '');
    const each = segment.endsWith('[]');
    found = found.flatMap(({ path, value }) => {
      if (value === null || typeof value !== 'object') return [];
      const entries = name === '*' ? Object.entries(value) : name in value ? [[name, (value as Record<string, unknown>)[name]] as const] : [];
      return entries.map(([key, v]) => ({ path: path ? `${path}.${key}` : key, value: v }));
    });
    if (each) found = found.flatMap(({ path, value }) => (Array.isArray(value) ? value.map((v, i) => ({ path: `${path}[${i}]`, value: v })) : []));
  }
  return found;
}

/** One problem per written value at `paths` that is none of `known`, naming its key: `what` is what it should name ("project", "template"). */
export function unknownReferences(raw: unknown, paths: readonly string[], known: readonly string[], what: string): string[] {
  const names = new Set(known);
  return paths.flatMap((pattern) =>
    reach(raw, pattern)
      .filter(({ value }) => typeof value === 'string' && !names.has(value))
      .map(({ path, value }) => `${path}: unknown ${what} "${String(value)}" (known: ${known.length > 0 ? known.join(', ') : 'none'})`),
  );
}

/** One problem per written value at `paths` that is not a key of `projects`, naming its key. */
export function unknownProjectKeys(raw: unknown, paths: readonly string[], projects: readonly string[]): string[] {
  return unknownReferences(raw, paths, projects, 'project');
}
