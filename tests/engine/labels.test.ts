import { describe, expect, it } from 'vitest';
import { applyLabels, diffLabels, labelScope } from '../../src/engine/labels.js';

describe('scoped labels', () => {
  it('takes the scope up to the last ::', () => {
    expect(labelScope('triage::ready')).toBe('triage');
    expect(labelScope('a::b::c')).toBe('a::b');
    expect(labelScope('plain')).toBeUndefined();
  });

  it('replaces a label of the same scope', () => {
    expect(applyLabels(['triage::needs-info', 'bug'], ['triage::ready'], [])).toEqual(['bug', 'triage::ready']);
  });

  it('diffs to the smallest change and to nothing when already there', () => {
    expect(diffLabels(['triage::needs-info'], ['triage::ready'], [])).toEqual({ add: ['triage::ready'], remove: ['triage::needs-info'] });
    expect(diffLabels(['triage::ready', 'x'], ['triage::ready'], ['y'])).toEqual({ add: [], remove: [] });
  });

  it('removes what is asked and keeps the rest', () => {
    expect(diffLabels(['a', 'b'], [], ['a'])).toEqual({ add: [], remove: ['a'] });
  });
});
