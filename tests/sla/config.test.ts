import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { defaultConfig } from '../helpers/builders.js';

const projects = Object.fromEntries(['support-team-meta', 'internal-requests', 'feedback'].map((key) => [key, { path: `gitlab-com/support/${key}` }]));
const withSla = (sla: object) => ({ projects, sla });

describe('sla config', () => {
  it('ships the documented defaults: 12 business hours for requests to Support, no default target, nobody to mention, UTC Monday-Friday 9-17', () => {
    expect(defaultConfig.sla.answeredLabel).toBeUndefined();
    expect(defaultConfig.sla.escalateTo).toBeUndefined();
    expect(defaultConfig.sla).toMatchObject({ ignoreAuthors: [], timezone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStartHour: 9, dayEndHour: 17, atRiskShare: 0.8 });
    const targets = Object.fromEntries(defaultConfig.templates.map((t) => [t.slug, t.firstResponseHours]));
    expect(targets).toEqual({
      'contact-request': 12,
      'name-squatting-request': 12,
      'support-readiness': undefined,
      'support-shadow-program': undefined,
      'indirect-feedback': undefined,
    });
    expect(parseConfig(withSla({})).sla).not.toHaveProperty('firstResponseHours');
  });

  it.each([
    { sla: { timezone: 'Europe/Amsterdam' }, error: null },
    { sla: { timezone: 'Mars/Olympus_Mons' }, error: /sla\.timezone.*IANA time zone/ },
    { sla: { dayStartHour: 17, dayEndHour: 9 }, error: /sla\.dayEndHour.*after dayStartHour/ },
    { sla: { firstResponseHours: 80 }, error: /sla.*firstResponseHours/ },
    { sla: { escalateTo: 'two words' }, error: /sla\.escalateTo.*username or group path/ },
    { sla: { ignoreAuthors: [''] }, error: /sla\.ignoreAuthors/ },
    { sla: { workingDays: [] }, error: /sla\.workingDays/ },
    { sla: { answeredLabel: 'answered' }, error: /sla\.answeredLabel.*scoped label/ },
  ])('$sla', ({ sla, error }) => {
    if (error) expect(() => parseConfig(withSla(sla))).toThrow(error);
    else expect(parseConfig(withSla(sla)).sla.timezone).toBe('Europe/Amsterdam');
  });
});

describe('sla.escalateTo', () => {
  it.each([
    ['support-managers', 'support-managers'],
    ['@support-managers', 'support-managers'],
    ['gitlab-com/support/managers', 'gitlab-com/support/managers'],
  ])('%s is read as %s', (given, read) => {
    expect(parseConfig(withSla({ escalateTo: given })).sla.escalateTo).toBe(read);
  });
});
