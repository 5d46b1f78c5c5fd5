// Issue and merge request `search` as GitLab.com answers it: full-text, not substring
// (app/models/concerns/pg_full_text_searchable.rb, `pg_full_text_search`): the query is cut into
// words, each becomes a prefix term (`word:*`) and all must match some word of the title or
// description. So `deploy` finds "Deployment failed" but `ployment` does not. English
// stemming and stop words are not modelled.

const WORD = /[\p{L}\p{N}_]+/gu;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Whether every word of `query` starts a word of one of `texts` (a query without words matches nothing). */
export function matchesFullText(query: string, texts: readonly string[]): boolean {
  const terms = words(query);
  if (terms.length === 0) return false;
  const have = texts.flatMap(words);
  return terms.every((term) => have.some((word) => word.startsWith(term)));
}
