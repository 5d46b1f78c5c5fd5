import { describe, expect, it } from 'vitest';
import { formatWrite, printWrites } from '../../src/commands/output.js';
import { Effects } from '../../src/engine/effects.js';
import { WriteBudget } from '../../src/engine/budget.js';
import { DryRunRecord, type RecordedWrite } from '../../src/engine/ports.js';
import { DryRunWriter } from '../../src/engine/writer.js';
import { pino } from 'pino';

// Issue 19: a dry run prints every comment in full (indented under its line), every label
// change and every other write, with its reason, so the wording can be reviewed before going live.

const LONG_LINE = `Thanks for the request. ${'Please fill in every section of the template. '.repeat(6)}`;
const note = [
  '<!-- support-bot:template-check -->',
  'Hi @alice, this issue does not follow one of the templates:',
  '',
  '- [Contact Request](https://gitlab.example/new?issuable_template=Contact%20Request)',
  '  - nested line kept as written',
].join('\n');

/** Texts a dry run must show whole: multi-line, CRLF, blank lines, one long line, Markdown lists. */
const CORPUS: { name: string; text: string; lines: string[] }[] = [
  { name: 'a multi-line note', text: note, lines: note.split('\n') },
  { name: 'CRLF line ends', text: 'first\r\nsecond\r\n\r\nfourth', lines: ['first', 'second', '', 'fourth'] },
  { name: 'one line longer than a terminal', text: LONG_LINE, lines: [LONG_LINE] },
  { name: 'a lone CR', text: 'a\rb', lines: ['a', 'b'] },
];

describe('formatWrite', () => {
  for (const { name, text, lines } of CORPUS) {
    it(`prints ${name} in full, indented under the write's line`, () => {
      const write: RecordedWrite = {
        port: 'gitlab',
        method: 'createNote',
        target: 'project 3 issue #7',
        detail: { body: text },
        cause: { rules: ['template-check'], reason: 'templates are required in this project' },
      };
      const printed = formatWrite(write).split('\n');
      expect(printed[0]).toBe('  createNote project 3 issue #7');
      expect(printed[1]).toBe('    why: [template-check] templates are required in this project');
      expect(printed[2]).toBe('    body:');
      expect(printed.slice(3, 3 + lines.length)).toEqual(lines.map((l) => (l === '' ? '' : `      ${l}`)));
      expect(printed.join('\n')).not.toContain('…');
    });
  }

  it('keeps label changes and other short values on the line, and says when a write has no recorded reason', () => {
    const labels = formatWrite({
      port: 'gitlab',
      method: 'updateIssue',
      target: 'project 3 issue #7',
      detail: { addLabels: ['template::none'], removeLabels: ['triage::ready'] },
      cause: { rules: ['template-check'], reason: 'no template recognised' },
    });
    expect(labels).toBe('  updateIssue project 3 issue #7 addLabels=["template::none"] removeLabels=["triage::ready"]\n    why: [template-check] no template recognised\n');
    const other = formatWrite({ port: 'chat', method: 'post', target: 'channel #support', detail: { text: 'short' } } as unknown as RecordedWrite);
    expect(other).toBe('  chat post channel #support text="short"\n');
  });
});

describe('a dry run through the executor effects', () => {
  it('records each write with the rules and reason it was made for, also after an await in its send', async () => {
    const record = new DryRunRecord();
    const writer = new DryRunWriter(record);
    const effects = new Effects({ budget: new WriteBudget(10), dryRun: true, log: pino({ level: 'silent' }) });
    const ref = { projectId: 3, kind: 'issue' as const, iid: 7 };
    await Promise.all([
      effects.write('gitlab', { rules: ['template-check'], target: 'note', detail: 'post note', reason: 'empty Username' }, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        await writer.createNote(ref, note);
      }),
      effects.write('gitlab', { rules: ['sensitive-data', 'template-check'], target: 'issue', detail: 'labels', reason: 'a token in the description' }, () =>
        writer.updateIssue(3, 7, { addLabels: ['sensitive-data'] }),
      ),
    ]);
    const chunks: string[] = [];
    printWrites(writer, { write: (text: string) => chunks.push(text) } as unknown as NodeJS.WritableStream);
    const printed = chunks.join('');
    expect(printed).toContain('dry run: 2 write(s) not sent\n');
    expect(printed).toContain('  updateIssue project 3 issue #7 addLabels=["sensitive-data"]\n    why: [sensitive-data,template-check] a token in the description\n');
    expect(printed).toContain(
      `  createNote project 3 issue #7\n    why: [template-check] empty Username\n    body:\n${note
        .split('\n')
        .map((l) => (l === '' ? '' : `      ${l}`))
        .join('\n')}\n`,
    );
  });
});
