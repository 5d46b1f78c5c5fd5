import Handlebars from 'handlebars';
import { SWIR_SAMPLES } from '../swir/samples.js';

/** Data a message template is rendered with, shaped like what its rule passes. */
export type MessageSample = Readonly<Record<string, unknown>>;

/**
 * The message templates a rule renders (`<bot.messagesDir>/<name>.hbs`), each with sample
 * data for every branch the rule's plan can take: the loader renders each template with
 * each sample (and with every flag flipped), so a template that would fail on one branch
 * stops the bot at start-up, not on the day that branch is taken.
 */
export type MessageSamples<M extends string = string> = { readonly [name in M]: readonly [MessageSample, ...MessageSample[]] };

/** Which templates must exist, who renders each, and the data to try them with. */
export type MessageRegistry = Readonly<Record<string, { rule: string; samples: readonly MessageSample[] }>>;

/** Templates rendered outside the rules. */
export const CORE_MESSAGES: MessageRegistry = {
  swir: { rule: 'the swir job', samples: SWIR_SAMPLES },
};

/**
 * The templates the bot renders: each rule's `messages`, plus `CORE_MESSAGES`. Checked at
 * load time (file present, Handlebars syntax, helpers, and a trial render in strict mode
 * with each sample, which catches a variable the rule does not provide), so a broken
 * template stops `config validate` and every command with exit 2 instead of turning a rule
 * off at run time. A name two owners claim is a programming error.
 */
export function messageRegistry(rules: readonly { key: string; messages?: Readonly<Record<string, readonly MessageSample[]>> }[]): MessageRegistry {
  const registry: Record<string, { rule: string; samples: readonly MessageSample[] }> = { ...CORE_MESSAGES };
  for (const rule of rules) {
    for (const [name, samples] of Object.entries(rule.messages ?? {})) {
      const taken = registry[name];
      if (taken) throw new Error(`message template "${name}" is declared by rule ${rule.key} and by ${taken.rule}`);
      registry[name] = { rule: rule.key, samples };
    }
  }
  return registry;
}

/** The sample with every boolean flipped and every array emptied: the other side of each `{{#if}}`/`{{#each}}`. */
function flipped(sample: MessageSample): MessageSample {
  return Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, typeof v === 'boolean' ? !v : Array.isArray(v) ? [] : typeof v === 'string' ? '' : v]));
}

interface AstNode {
  type: string;
  loc?: { start: { line: number } };
  path?: { type: string; original?: unknown };
  params?: AstNode[];
  hash?: { pairs: { value: AstNode }[] };
  program?: { body: AstNode[] };
  inverse?: { body: AstNode[] };
  body?: AstNode[];
  name?: { original?: unknown };
}

/** Helpers a template calls (a mustache or block with arguments, a sub-expression) that are not registered. */
function unknownHelpers(ast: AstNode, known: Set<string>): string[] {
  const problems: string[] = [];
  const visit = (node: AstNode | undefined): void => {
    if (!node) return;
    const line = node.loc?.start.line;
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement' || node.type === 'DecoratorBlock' || node.type === 'Decorator') {
      problems.push(`line ${line}: partials and decorators are not supported`);
    }
    if (node.type === 'MustacheStatement' || node.type === 'BlockStatement' || node.type === 'SubExpression') {
      const name = node.path?.type === 'PathExpression' ? String(node.path.original) : undefined;
      const callsHelper = node.type !== 'MustacheStatement' || (node.params?.length ?? 0) > 0 || (node.hash?.pairs.length ?? 0) > 0;
      // `{{#items}}…{{/items}}` with no arguments is a section over a value, which Handlebars allows.
      const section = node.type === 'BlockStatement' && (node.params?.length ?? 0) === 0 && !node.hash;
      if (name !== undefined && callsHelper && !section && !known.has(name)) problems.push(`line ${line}: unknown helper "${name}" (helpers: ${[...known].sort().join(', ')})`);
    }
    node.params?.forEach(visit);
    node.hash?.pairs.forEach((p) => visit(p.value));
    node.program?.body.forEach(visit);
    node.inverse?.body.forEach(visit);
    node.body?.forEach(visit);
  };
  visit(ast);
  return problems;
}

/**
 * What is wrong with a set of message templates, one line per problem:
 * a template a rule renders that is missing, a syntax error, an unknown helper, or a
 * trial render with the rule's data that fails (a variable the rule does not pass).
 */
export function messageProblems(templates: Readonly<Record<string, string>>, hbs: typeof Handlebars, required: MessageRegistry): string[] {
  const problems: string[] = [];
  const known = new Set(Object.keys(hbs.helpers));
  for (const [name, { rule }] of Object.entries(required)) {
    if (templates[name] === undefined) problems.push(`${name}.hbs is missing (rule ${rule} renders it)`);
  }
  for (const [name, source] of Object.entries(templates)) {
    let ast: AstNode;
    try {
      ast = hbs.parse(source) as unknown as AstNode;
    } catch (error) {
      problems.push(`${name}.hbs: ${String((error as Error).message).split('\n')[0]}`);
      continue;
    }
    const helpers = unknownHelpers(ast, known);
    if (helpers.length > 0) {
      problems.push(...helpers.map((p) => `${name}.hbs ${p}`));
      continue;
    }
    const use = required[name];
    if (!use) continue;
    const template = hbs.compile(source, { noEscape: true, strict: true });
    for (const data of use.samples.flatMap((sample) => [sample, flipped(sample)])) {
      try {
        template(data);
      } catch (error) {
        problems.push(`${name}.hbs: ${String((error as Error).message).split('\n')[0]} (with the data rule ${use.rule} passes)`);
        break;
      }
    }
  }
  return problems;
}
