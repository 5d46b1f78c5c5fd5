// Label arithmetic with GitLab's scoped-label rule: an issue holds at most one label
// per scope (`key::value`, the key being everything before the last `::`).

export function labelScope(label: string): string | undefined {
  const at = label.lastIndexOf('::');
  return at > 0 ? label.slice(0, at) : undefined;
}

export interface LabelChange {
  add: string[];
  remove: string[];
}

/** The labels an issue ends with when `add` and `remove` are applied as GitLab would. */
export function applyLabels(current: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const removed = new Set(remove);
  let result = current.filter((l) => !removed.has(l));
  for (const label of add) {
    if (result.includes(label)) continue;
    const scope = labelScope(label);
    if (scope !== undefined) result = result.filter((l) => labelScope(l) !== scope);
    result.push(label);
  }
  return result;
}

/** The smallest add/remove that takes `current` to what the actions ask for; empty when nothing changes. */
export function diffLabels(current: readonly string[], add: readonly string[], remove: readonly string[]): LabelChange {
  const target = applyLabels(current, add, remove);
  return {
    add: target.filter((l) => !current.includes(l)),
    remove: current.filter((l) => !target.includes(l)),
  };
}
