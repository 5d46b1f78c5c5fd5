// Kept apart from the loader so that code which only reports a bad config (commands/common.ts)
// does not load the schema, zod and the message templates.

/** A configuration that cannot be used; each problem names its key path. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`config ${source}: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}
