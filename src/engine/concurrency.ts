/**
 * Runs `work` over a stream with at most `limit` items in flight, pulling the next item
 * only when a slot frees: a sweep never holds more than `limit` subjects (plus the page
 * being read). The first error stops taking new items and is thrown once the others end.
 */
export async function forEachConcurrently<T>(items: AsyncIterable<T>, limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.asyncIterator]();
  let failure: { error: unknown } | undefined;
  let pulling = Promise.resolve();
  // Pulls are serialised: an async iterator must not be asked for two items at once.
  const next = (): Promise<IteratorResult<T>> => {
    const result = pulling.then(() => iterator.next());
    pulling = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  };
  const worker = async (): Promise<void> => {
    while (!failure) {
      let result: IteratorResult<T>;
      try {
        result = await next();
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (result.done) return;
      try {
        await work(result.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failure) {
    await iterator.return?.();
    throw failure.error;
  }
}
