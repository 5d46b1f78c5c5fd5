/** Reads a streamed GitLab listing into an array: only for lists known to be short (one issue's notes, a board column, a team). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}
