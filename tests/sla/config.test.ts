import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { defaultConfig } from '../helpers/builders.js';

const projects = Object.fromEntries(['support-team-meta', 'internal-requests', 'feedback'].map((key) => [key, { path: `gitlab-com/support/${key}` }]));
const withSla = (sla: object) => ({ projects, sla });

describe('sla config', () => {
  it('ships the documented defaults: 80 business hours, 12 for requests to Support, UTC Monday-Friday 9-17', () => {
    expect(defaultConfig.sla.answeredLabel).toBeUndefined();
    expect(defaultConfig.sla).toMatchObject({ firstResponseHours: 80, timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStartHour: 9, dayEndHour: 17, atRiskShare: 0.8 });
    const targets = Object.fromEntries(defaultConfig.templates.map((t) => [t.slug, t.firstResponseHours]));
    expect(targets).toEqual({
      'contact-request': 12,
      'name-squatting-request': 12,
      'support-readiness': undefined,
      'support-shadow-program': undefined,
      'indirect-feedback': undefined,
    });
    expect(parseConfig(withSla({})).sla.firstResponseHours).toBe(80);
  });

  it.each([
    { sla: { timezone: 'Europe/Amsterdam' }, error: null },
    { sla: { timezone: 'Mars/Olympus_Mons' }, error: /sla\.timezone.*IANA time zone/ },
    { sla: { dayStartHour: 17, dayEndHour: 9 }, error: /sla\.dayEndHour.*after dayStartHour/ },
    { sla: { firstResponseHours: 0 }, error: /sla\.firstResponseHours/ },
    { sla: { workingDays: [] }, error: /sla\.workingDays/ },
    { sla: { answeredLabel: 'answered' }, error: /sla\.answeredLabel.*scoped label/ },
  ])('$sla', ({ sla, error }) => {
    if (error) expect(() => parseConfig(withSla(sla))).toThrow(error);
    else expect(parseConfig(withSla(sla)).sla.timezone).toBe('Europe/Amsterdam');
  });
});
