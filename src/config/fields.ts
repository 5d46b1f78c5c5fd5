import { z } from 'zod';
import { isTimeZone } from '../sla/zonedTime.js';

// Field types shared by the core config schema and the rules' own config sections.

export const labelName = z.string().trim().min(1, 'expected a label name, got ""');
export const scopedLabel = z.string().regex(/^[^:]+(::[^:]+)+$/, 'expected a scoped label like "triage::ready"');
export const timeZone = z.string().refine(isTimeZone, 'expected an IANA time zone like "Europe/Amsterdam"');
/** A key under `projects` (checked against them by the loader when the section lists it in `projectKeys`). */
export const projectKey = z.string().min(1);
