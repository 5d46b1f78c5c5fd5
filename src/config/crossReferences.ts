import { JOB_NAMES } from '../jobs/names.js';
import { claimCollisions } from '../notify/claim.js';
import { unknownProjectKeys, unknownReferences } from './projectKeys.js';
import { CORE_PROJECT_KEYS, CORE_TEMPLATE_KEYS, CORE_TEMPLATE_SLUG_KEYS, type BotConfig, type ConfigContributor } from './schema.js';

// What a valid schema cannot say on its own: keys that must name something else in the file,
// and values that must not collide. Each problem names the key to fix (`config validate`
// exits 2 on any of them); a reference naming nothing would leave its rule silently idle.

/** Every path of `kind`: the core's, then each rule section's under its key. */
function sectionPaths(rules: readonly ConfigContributor[], kind: 'projectKeys' | 'templateKeys', core: readonly string[]): string[] {
  return [...core, ...rules.flatMap((r) => (r.config ? r.config[kind].map((path) => `${r.config!.key}.${path}`) : []))];
}

/** Each value seen twice, reported at its second key: `what` names the thing ("template name"). */
function duplicates(entries: ReadonlyArray<{ path: string; value: string }>, what: string): string[] {
  const first = new Map<string, string>();
  const problems: string[] = [];
  for (const { path, value } of entries) {
    const earlier = first.get(value);
    if (earlier !== undefined) problems.push(`${path}: ${what} "${value}" is also ${earlier}`);
    else first.set(value, path);
  }
  return problems;
}

/** Labels the bot writes: no two `labels.*` keys alike, and no template's `template::<slug>` equal to one (two slugs alike are the slug check's). */
function labelCollisions(config: BotConfig): string[] {
  const { templatePrefix, ...named } = config.labels;
  const fixed = Object.entries(named).map(([key, label]) => ({ path: `labels.${key}`, value: label }));
  const byLabel = new Map(fixed.map(({ path, value }) => [value, path]));
  const problems = duplicates(fixed, 'label');
  config.templates.forEach((t, i) => {
    const label = `${templatePrefix}${t.slug}`;
    const other = byLabel.get(label);
    if (other !== undefined) problems.push(`templates[${i}].slug: label "${label}" is also ${other}`);
  });
  return problems;
}

export function crossReferenceProblems(config: BotConfig, raw: unknown, rules: readonly ConfigContributor[]): string[] {
  const projectKeys = Object.keys(config.projects);
  const problems = unknownProjectKeys(raw, sectionPaths(rules, 'projectKeys', CORE_PROJECT_KEYS), projectKeys);
  problems.push(
    ...unknownReferences(
      raw,
      sectionPaths(rules, 'templateKeys', CORE_TEMPLATE_KEYS),
      config.templates.map((t) => t.name),
      'template',
    ),
  );
  const swirSlugs = config.templates.filter((t) => t.project === config.swir.project).map((t) => t.slug);
  problems.push(...unknownReferences(raw, CORE_TEMPLATE_SLUG_KEYS, swirSlugs, `template slug in swir.project "${config.swir.project}"`));
  // GitLab's paths are case-insensitive: two keys for one project would double every write.
  problems.push(
    ...duplicates(
      Object.entries(config.projects).map(([key, p]) => ({ path: `projects.${key}.path`, value: String(p.path).toLowerCase() })),
      'project',
    ),
  );
  problems.push(
    ...duplicates(
      config.templates.map((t, i) => ({ path: `templates[${i}].name`, value: t.name })),
      'template name',
    ),
  );
  problems.push(...claimCollisions(config.notifications.slack));
  for (const project of projectKeys) {
    problems.push(
      ...duplicates(
        config.templates.flatMap((t, i) => (t.project === project ? [{ path: `templates[${i}].slug`, value: t.slug }] : [])),
        `slug in project "${project}"`,
      ),
    );
  }
  problems.push(...labelCollisions(config));
  for (const rule of rules) if (rule.config?.problems) problems.push(...rule.config.problems(rule.config.of(config)));
  for (const job of Object.keys(config.schedules.jobs)) {
    if (!(JOB_NAMES as readonly string[]).includes(job)) problems.push(`schedules.jobs.${job}: unknown job (jobs: ${JOB_NAMES.join(', ')})`);
  }
  return problems;
}
