import ts from 'typescript';
import { z } from 'zod';
import { configSchema } from './schema.js';

// The configuration's reference, generated: a JSON Schema (for editors, through the starter
// config's `# yaml-language-server: $schema=` line) from the zod schema itself, and a Markdown
// table per section whose descriptions are the `/** … */` comments in src/config/schema.ts.
// `npm run docs` writes both into docs/; tests/config/reference.test.ts fails when they drift.

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  required?: string[];
  description?: string;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  [key: string]: unknown;
};

/** A key's comment and, for an object (or a list or map of them), its keys' docs. */
interface KeyDocs {
  doc?: string;
  children?: Map<string, KeyDocs>;
}

/** The JSON Schema of the configuration file as a user writes it (defaults filled in by the bot). */
export function configJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return { ...schema, title: 'support-bot configuration', description: 'The configuration file of support-bot (config/support-bot.yml). Reference: docs/configuration.md.' };
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
      /^z\.(strictObject|object|looseObject)$/.test(node.expression.getText()) &&
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

/** The key docs of `configSchema`, read from the schema's source. */
export function configKeyDocs(source: string): Map<string, KeyDocs> {
  const file = ts.createSourceFile('schema.ts', source, ts.ScriptTarget.Latest, true);
  const consts = new Map<string, Const>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations)
      if (ts.isIdentifier(decl.name) && decl.initializer) consts.set(decl.name.text, { initializer: decl.initializer, doc: jsDocText(statement) });
  }
  return objectDocs(consts.get('configSchema')!.initializer, consts) ?? new Map();
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
export function configReferenceMarkdown(schemaSource: string): string {
  const schema = configJsonSchema();
  const docs = configKeyDocs(schemaSource);
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs`; tests/config/reference.test.ts fails when it is out of date. Do not edit by hand. -->',
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
