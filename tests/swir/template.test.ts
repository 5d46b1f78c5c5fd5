import { describe, expect, it } from 'vitest';
import { messageRegistry } from '../../src/render/messages.js';
import { checkMessages, readMessages } from '../../src/render/renderer.js';
import { allRules } from '../../src/rules/index.js';

// The review's template is tried at load time with sample figures (a full week so far, and
// an empty final week whose requests project could not be read), like the rules' messages.
describe('swir.hbs at load time', () => {
  const shipped = readMessages('config/messages');
  const registry = messageRegistry(allRules);

  it('the shipped template renders every sample', () => {
    expect(checkMessages(shipped, registry).filter((p) => p.includes('swir'))).toEqual([]);
  });

  it.each([
    ['a variable the job does not pass', '{{week.key}} {{needsAttention.overdue}}'],
    ['a field of a request only when there are requests', '{{requests.opened}}'],
  ])('a template using %s is refused', (_name, source) => {
    expect(checkMessages({ ...shipped, swir: source }, registry).join('\n')).toMatch(/swir/);
  });
});
