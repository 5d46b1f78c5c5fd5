import Handlebars from 'handlebars';

/**
 * The message templates the shipped rules render, with data shaped like what each rule
 * passes. Checked at load time (file present, Handlebars syntax, helpers, and a trial
 * render in strict mode, which catches a variable the rule does not provide), so a broken
 * template stops `config validate` and every command with exit 2 instead of turning a
 * rule off at run time. `tests/render/messages.test.ts` checks that every
 * `ctx.render.render('<name>'` in `src/rules/` is listed here.
 */
export const RULE_MESSAGES: Readonly<Record<string, { rule: string; sample?: Record<string, unknown> }>> = {
  'active-now-limit': {
    rule: 'active-now-limit',
    sample: {
      limit: 6,
      revert: true,
      restored: 'Active Now::Focus',
      hits: [
        {
          label: 'Active Now::Focus',
          count: 7,
          current: [
            { iid: 1, title: 'An issue', url: 'https://gitlab.example/g/p/-/issues/1', confidential: false },
            { iid: 2, title: '', url: 'https://gitlab.example/g/p/-/issues/2', confidential: true },
          ],
        },
      ],
    },
  },
  'approval-found': {
    rule: 'approval-artifact',
    sample: { artifact: 'an approval by @lee', url: 'https://gitlab.example/g/p/-/merge_requests/1', verified: true, draft: true },
  },
  'approval-not-needed': { rule: 'approval-artifact', sample: {} },
  'approval-missing': {
    rule: 'approval-artifact',
    sample: {
      draft: true,
      paths: ['handbook/support/index.md'],
      approvers: ['lee'],
      groups: ['gitlab-com/support/managers'],
      phrases: ['approved'],
      emoji: ['thumbsup'],
      rejected: [{ what: 'a comment by the author', why: 'the author cannot approve their own change' }],
      statusName: 'support-bot/approval',
    },
  },
  'dormant-report': {
    rule: 'dormant-namespace',
    sample: {
      namespace: 'coolname',
      profileUrl: 'https://gitlab.com/coolname',
      verdict: 'eligible for release',
      criteria: [{ name: 'No data', status: 'pass', evidence: '0 owned projects' }],
      next: 'The bot checks again daily.',
      prefix: 'Contact attempt:',
      release: { to: 'idlecoolname1', numbered: true, wanted: 'idlecoolname', missing: ['`dormant.allowRename` is false'] },
      released: { from: 'coolname', to: 'idlecoolname1', numbered: true, wanted: 'idlecoolname', day: '2026-11-18' },
    },
  },
  'dormant-released': {
    rule: 'dormant-namespace',
    sample: { from: 'coolname', to: 'idlecoolname1', numbered: true, wanted: 'idlecoolname', day: '2026-11-18', namespace: 'coolname' },
  },
  // Checked for presence, syntax and helpers; no trial render yet (add a sample to check variables too).
  swir: { rule: 'the swir job' },
  'request-form-redirect': { rule: 'request-form-redirect', sample: { formUrl: 'https://form.example/', matched: ['license'] } },
  'sensitive-data': {
    rule: 'sensitive-data',
    sample: {
      vulnerability: true,
      secret: true,
      descriptionRedacted: true,
      titleRedacted: true,
      comments: [{ url: 'https://gitlab.example/g/p/-/issues/1#note_1' }],
      replacement: '[REDACTED]',
      disclosureUrl: 'https://about.gitlab.com/security/disclosure/',
    },
  },
  'sla-answered': { rule: 'first-response-sla', sample: { elapsed: '3', hours: '12' } },
  'sla-at-risk': { rule: 'first-response-sla', sample: { group: 'gitlab-com/support', hours: '12', template: 'Contact Request', dueAt: '2026-11-16 09:00' } },
  'sla-breached': { rule: 'first-response-sla', sample: { group: 'gitlab-com/support', hours: '12', template: 'Contact Request', dueAt: '2026-11-16 09:00' } },
  'template-complete': { rule: 'template-check', sample: { template: 'Contact Request' } },
  'template-missing-sections': { rule: 'template-check', sample: { template: 'Contact Request', missing: ['Username'], single: true } },
  'template-none': { rule: 'template-check', sample: { required: true, templates: [{ name: 'Contact Request', url: 'https://gitlab.example/new' }] } },
};

/** The sample with every boolean flipped and every array emptied: the other side of each `{{#if}}`/`{{#each}}`. */
function flipped(sample: Record<string, unknown>): Record<string, unknown> {
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
export function messageProblems(templates: Readonly<Record<string, string>>, hbs: typeof Handlebars, required = RULE_MESSAGES): string[] {
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
    if (!use?.sample) continue;
    const template = hbs.compile(source, { noEscape: true, strict: true });
    for (const data of [use.sample, flipped(use.sample)]) {
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
