import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { allRules } from '../rules/index.js';
import { configJsonSchema, type JsonSchema } from './jsonSchema.js';

export { configJsonSchema };

// The configuration's reference, generated: the JSON Schema (jsonSchema.ts), and a Markdown
// table per section whose descriptions are the `/** … */` comments in src/config/schema.ts (the
// core keys) and in each rule file (its `configSection`).
// `npm run docs` writes both into docs/; tests/config/reference.test.ts fails when they drift.

/** A key's comment and, for an object (or a list or map of them), its keys' docs. */
interface KeyDocs {
  doc?: string;
  children?: Map<string, KeyDocs>;
}

/** Key docs of the object schema an expression builds (inline, or through a `const …Schema` of the file). */
function jsDocText(node: ts.Node): string | undefined {
  const jsDoc = (node as unknown as { jsDoc?: ts.JSDoc[] }).jsDoc?.at(-1);
  return typeof jsDoc?.comment === 'string' ? jsDoc.comment.replace(/\s+/g, ' ').trim() : undefined;
}

/** The `const …Schema` a property's initializer starts from (`gitlabSchema.default(…)`), if any. */
function referencedConst(expr: ts.Expression, consts: Map<string, Const>): Const | undefined {
  let root: ts.Node = expr;
  while (ts.isCallExpression(root) || ts.isPropertyAccessExpression(root)) root = ts.isCallExpression(root) ? root.expression : root.expression;
  return ts.isIdentifier(root) ? consts.get(root.text) : undefined;
}

interface Const {
  initializer: ts.Expression;
  doc?: string;
}

function objectDocs(expr: ts.Node, consts: Map<string, Const>, seen = new Set<string>()): Map<string, KeyDocs> | undefined {
  let found: Map<string, KeyDocs> | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      /^z\.(strictObject|object|looseObject)$/.test(node.expression.getText().replace(/\s+/g, '')) &&
      node.arguments[0] &&
      ts.isObjectLiteralExpression(node.arguments[0])
    ) {
      found = new Map();
      for (const prop of node.arguments[0].properties) {
        if (!ts.isPropertyAssignment(prop)) continue;
        const doc = jsDocText(prop) ?? referencedConst(prop.initializer, consts)?.doc;
        found.set(prop.name.getText().replace(/^['"]|['"]$/g, ''), { doc, children: objectDocs(prop.initializer, consts, seen) });
      }
      return;
    }
    if (ts.isIdentifier(node) && consts.has(node.text) && !seen.has(node.text)) {
      seen.add(node.text);
      found = objectDocs(consts.get(node.text)!.initializer, consts, seen);
      seen.delete(node.text);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(expr);
  return found;
}

function sourceConsts(file: ts.SourceFile): Map<string, Const> {
  const consts = new Map<string, Const>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations)
      if (ts.isIdentifier(decl.name) && decl.initializer) consts.set(decl.name.text, { initializer: decl.initializer, doc: jsDocText(statement) });
  }
  return consts;
}

/** The docs of an object literal's keys (`coreShape`). */
function literalDocs(literal: ts.ObjectLiteralExpression, consts: Map<string, Const>): Map<string, KeyDocs> {
  const docs = new Map<string, KeyDocs>();
  for (const prop of literal.properties) {
    if (!ts.isPropertyAssignment(prop)) continue;
    docs.set(prop.name.getText(), { doc: jsDocText(prop) ?? referencedConst(prop.initializer, consts)?.doc, children: objectDocs(prop.initializer, consts) });
  }
  return docs;
}

/** The sections a rule file declares with `configSection('<key>', schema)`, with the schema's docs. */
function sectionDocs(file: ts.SourceFile, consts: Map<string, Const>, docs: Map<string, KeyDocs>): void {
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText() === 'configSection' && node.arguments.length >= 2 && ts.isStringLiteral(node.arguments[0]!)) {
      const schema = node.arguments[1]!;
      docs.set(node.arguments[0].text, { doc: referencedConst(schema, consts)?.doc, children: objectDocs(schema, consts) });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

/** The sources the key docs are read from, in a checkout: the core schema and every rule file. */
export function configDocSources(root: string): string[] {
  const rules = readdirSync(join(root, 'src', 'rules')).filter((name) => name.endsWith('.ts'));
  return [join(root, 'src', 'config', 'schema.ts'), ...rules.sort().map((name) => join(root, 'src', 'rules', name))].map((path) => readFileSync(path, 'utf8'));
}

/** The key docs of the whole configuration, read from the sources of src/config/schema.ts and the rule files. */
export function configKeyDocs(sources: readonly string[]): Map<string, KeyDocs> {
  const docs = new Map<string, KeyDocs>();
  for (const [index, source] of sources.entries()) {
    const file = ts.createSourceFile(`source${index}.ts`, source, ts.ScriptTarget.Latest, true);
    const consts = sourceConsts(file);
    const core = consts.get('coreShape')?.initializer;
    if (core && ts.isObjectLiteralExpression(core)) for (const [key, keyDocs] of literalDocs(core, consts)) docs.set(key, keyDocs);
    const switches = consts.get('ruleSwitchSchema');
    if (switches) {
      const children = objectDocs(switches.initializer, consts);
      docs.set('rules', { doc: switches.doc, children: new Map(allRules.map((rule) => [rule.key, { children }])) });
    }
    sectionDocs(file, consts, docs);
  }
  return docs;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (schema.anyOf) return [...new Set(schema.anyOf.map(typeOf))].join(' or ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'any'}`;
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') return `map of ${typeOf(schema.additionalProperties)}`;
  const bounds = [schema.minimum !== undefined ? `≥ ${schema.minimum}` : '', schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? `≤ ${schema.maximum}` : '']
    .filter(Boolean)
    .join(', ');
  const base = schema.format === 'uri' ? 'URL' : String(schema.type ?? 'any');
  return bounds ? `${base} (${bounds})` : base;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function defaultOf(schema: JsonSchema, required: boolean): string {
  if (schema.default === undefined) return required ? '*required*' : '';
  if (typeof schema.default === 'object' && schema.default !== null && !Array.isArray(schema.default)) return '';
  return `\`${cell(JSON.stringify(schema.default))}\``;
}

/** Rows for every key under `schema`, depth first: [path, type, default, description]. */
function rows(schema: JsonSchema, docs: Map<string, KeyDocs> | undefined, prefix: string): string[][] {
  const out: string[][] = [];
  const object = schema.anyOf?.find((s) => s.properties) ?? schema;
  for (const [key, child] of Object.entries(object.properties ?? {})) {
    const path = `${prefix}${key}`;
    const keyDocs = docs?.get(key);
    out.push([`\`${path}\``, cell(typeOf(child)), defaultOf(child, object.required?.includes(key) ?? false), cell(keyDocs?.doc ?? '')]);
    const nested = child.type === 'array' ? child.items : child.additionalProperties && typeof child.additionalProperties === 'object' ? child.additionalProperties : child;
    const marker = child.type === 'array' ? '[]' : nested !== child ? '.<key>' : '';
    if (nested?.properties || nested?.anyOf?.some((s) => s.properties)) out.push(...rows(nested, keyDocs?.children, `${path}${marker}.`));
  }
  return out;
}

/** docs/configuration.md: one table per top-level section. */
export function configReferenceMarkdown(sources: readonly string[]): string {
  const schema = configJsonSchema();
  const docs = configKeyDocs(sources);
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts and the rule files by `npm run docs`; tests/config/reference.test.ts fails when it is out of date. Do not edit by hand. -->',
    '',
    'The bot reads one YAML file: `SUPPORT_BOT_CONFIG`, else the `config/support-bot.yml` it ships (inside the bundle and the image).',
    'Unknown keys are errors; `support-bot config validate [file]` names each problem with its key path.',
    'Editors that read `# yaml-language-server: $schema=` lines complete and check keys from [`support-bot.schema.json`](support-bot.schema.json).',
    '',
  ];
  for (const [section, child] of Object.entries(schema.properties ?? {})) {
    lines.push(`## \`${section}\``, '');
    const doc = docs.get(section)?.doc;
    if (doc) lines.push(doc, '');
    const table = rows({ properties: { [section]: child }, required: schema.required }, docs, '');
    lines.push('| key | type | default | description |', '|---|---|---|---|', ...table.map((r) => `| ${r.join(' | ')} |`), '');
  }
  return lines.join('\n');
}
