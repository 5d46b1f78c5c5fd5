// Label arithmetic for issues and merge requests, as GitLab applies it:
// `labels` replaces the set, then `add_labels` is added and `remove_labels`
// removed (IssuableBaseService#process_label_ids). A scoped label `key::value`
// (the key is everything before the LAST `::`) replaces any other label with
// the same key; among labels added in one request the last one wins. Scoped labels
// are a Premium feature (doc/user/project/labels.md, "Scoped labels"): on Free a
// `key::value` label is an ordinary label and several of one key coexist.

export function scopedKey(label: string): string | null {
  const at = label.lastIndexOf('::');
  return at > 0 ? label.slice(0, at) : null;
}

export interface LabelChange {
  labels?: string[] | undefined;
  add?: string[] | undefined;
  remove?: string[] | undefined;
}

export function applyLabelChange(current: readonly string[], change: LabelChange, opts: { scoped: boolean } = { scoped: true }): string[] {
  const base = change.labels ?? current;
  const incoming = opts.scoped ? [...(change.labels ?? []), ...(change.add ?? [])] : [];
  let result = dedupe([...base, ...(change.add ?? [])]);
  // Newly given scoped labels win over existing ones with the same key; among
  // the new ones, the last given wins.
  const winners = new Map<string, string>();
  for (const label of incoming) {
    const key = scopedKey(label);
    if (key !== null) winners.set(key, label);
  }
  result = result.filter((l) => {
    const key = scopedKey(l);
    return key === null || !winners.has(key) || winners.get(key) === l;
  });
  // Titles match exactly: `remove_labels=Bug` leaves `bug` alone (Labels::FindOrCreateService).
  const removed = new Set(change.remove ?? []);
  result = result.filter((l) => !removed.has(l));
  return sortLabels(result);
}

/** GitLab lists an issuable's labels ordered by title. */
export function sortLabels(labels: readonly string[]): string[] {
  return [...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function dedupe(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const l of labels) {
    if (l === '' || seen.has(l)) continue;
    seen.add(l);
    out.push(l);
  }
  return out;
}

/** GitLab accepts label lists as a comma-separated string or as an array. */
export function parseLabelList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const parts = Array.isArray(value) ? value.flatMap((v) => String(v).split(',')) : String(value).split(',');
  return parts.map((s) => s.trim()).filter((s) => s !== '');
}
