import type { z } from 'zod';

/**
 * A part of the configuration file owned by one module, under its own top-level key
 * (`requestForm:`, `activeNow:`…): a zod schema whose defaults make the whole section
 * optional, and the paths in it that name a project under `projects`, which the loader
 * checks for every section alike. A rule declares its section as `config`.
 */
export interface ConfigSection<K extends string = string, S extends z.ZodType = z.ZodType> {
  key: K;
  schema: S;
  /**
   * Paths inside the section whose value is a project key: `project`, `scope[].project`
   * (each element of a list), `*.projects[]` (each entry of a map). A value the file
   * writes that names no configured project is an error naming its key.
   */
  projectKeys: readonly string[];
  /** Paths inside the section whose value is a template's `name` under `templates` (`template`); checked like `projectKeys`. */
  templateKeys: readonly string[];
  /** What its schema cannot say: values that must name something outside the file (a template's heading), each problem naming its key. */
  problems?: (section: z.output<S>) => string[];
  /** This section's value in a loaded config: for code that holds a config typed without it (an injected rule). */
  of(config: object): z.output<S>;
}

export function configSection<const K extends string, S extends z.ZodType>(
  key: K,
  schema: S,
  options: { projectKeys?: readonly string[]; templateKeys?: readonly string[]; problems?: (section: z.output<S>) => string[] } = {},
): ConfigSection<K, S> {
  const of = (config: object) => (config as Record<string, unknown>)[key] as z.output<S>;
  return { key, schema, projectKeys: options.projectKeys ?? [], templateKeys: options.templateKeys ?? [], ...(options.problems ? { problems: options.problems } : {}), of };
}
