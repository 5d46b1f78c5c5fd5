// GitLab usernames are case-insensitive: `@Support-Bot` and `@support-bot` are one user
// (User.find_by_username lower-cases both sides; app/models/user.rb, `find_by_username`).
// A username the bot is told (SUPPORT_BOT_USERNAME, bot.username, a config list, a mention)
// can be written in any case, while GitLab's answers carry the user's own spelling: every
// comparison of two usernames goes through here.

/** The form two usernames are compared in. */
export const usernameKey = (username: string): string => username.toLowerCase();

/** Whether two usernames name the same GitLab user. */
export function sameUsername(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && usernameKey(a) === usernameKey(b);
}

/**
 * A set of usernames that finds a name in any case (a `Set<string>`, so every reader of a
 * team or approver list gets it unchanged); iterates the names as first added.
 */
export class UsernameSet extends Set<string> {
  private lowered?: Set<string>;

  constructor(names: Iterable<string> = []) {
    super();
    for (const name of names) this.add(name);
  }

  override add(name: string): this {
    // Set's constructor may call add before the field initialisers have run.
    this.lowered ??= new Set();
    const key = usernameKey(name);
    if (this.lowered.has(key)) return this;
    this.lowered.add(key);
    return super.add(name);
  }

  override has(name: string): boolean {
    return this.lowered?.has(usernameKey(name)) ?? false;
  }

  override delete(name: string): boolean {
    const key = usernameKey(name);
    if (!this.lowered?.delete(key)) return false;
    for (const existing of super.values()) if (usernameKey(existing) === key) return super.delete(existing);
    return false;
  }

  override clear(): void {
    this.lowered?.clear();
    super.clear();
  }
}
