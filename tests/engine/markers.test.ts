import { describe, expect, it } from 'vitest';
import { markerKey, noteMarker, withMarker } from '../../src/engine/markers.js';

describe('note markers', () => {
  it('round-trips a rule key through a note body', () => {
    const body = withMarker('template-check', 'Please fill in **Message**.');
    expect(body.startsWith('<!-- support-bot:template-check -->\n')).toBe(true);
    expect(markerKey(body)).toBe('template-check');
  });

  it('refuses keys that would not round-trip', () => {
    expect(() => noteMarker('Template Check')).toThrow(/kebab-case/);
  });

  it('finds no key in ordinary text', () => {
    expect(markerKey('<!-- template: Contact Request -->')).toBeUndefined();
  });
});
