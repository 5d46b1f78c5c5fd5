// Reading request parameters the way GitLab's Grape API does: query string and
// JSON body are one parameter set; type errors answer 400 "<name> is invalid",
// values outside an enumeration "<name> does not have a valid value", and a
// missing required parameter "<name> is missing".

import type { Request } from 'express';
import { badRequest } from './errors.js';
import { parseLabelList } from './labels.js';

export type Params = Record<string, unknown>;

export function paramsOf(req: Request): Params {
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Params) : {};
  return { ...(req.query as Params), ...body };
}

export function str(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') throw badRequest(`${name} is invalid`);
  return String(v);
}

export function requiredStr(p: Params, name: string): string {
  const v = str(p, name);
  if (v === undefined || v.trim() === '') throw badRequest(`${name} is missing`);
  return v;
}

export function int(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : /^-?\d+$/.test(String(v)) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw badRequest(`${name} is invalid`);
  return n;
}

export function bool(p: Params, name: string): boolean | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (v === true || v === 'true' || v === '1' || v === 1) return true;
  if (v === false || v === 'false' || v === '0' || v === 0) return false;
  throw badRequest(`${name} is invalid`);
}

export function oneOf<T extends string>(p: Params, name: string, values: readonly T[]): T | undefined {
  const v = str(p, name);
  if (v === undefined || v === '') return undefined;
  if (!(values as readonly string[]).includes(v)) throw badRequest(`${name} does not have a valid value`);
  return v as T;
}

export function date(p: Params, name: string): Date | undefined {
  const v = str(p, name);
  if (v === undefined || v === '') return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw badRequest(`${name} is invalid`);
  return d;
}

/** Arrays arrive as `x[]=1&x[]=2`, a JSON array, or a comma-separated string. */
export function intList(p: Params, name: string): number[] | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  const parts = Array.isArray(v) ? v : String(v).split(',');
  return parts.map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n)) throw badRequest(`${name} is invalid`);
    return n;
  });
}

export function labelList(p: Params, name: string): string[] | undefined {
  const v = p[name];
  if (v !== undefined && v !== null && typeof v === 'object' && !Array.isArray(v)) throw badRequest(`${name} is invalid`);
  return parseLabelList(v);
}

/** `not[labels]=x` arrives (qs) as `{ not: { labels: 'x' } }`. */
export function notParams(p: Params): Params {
  const v = p['not'];
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Params) : {};
}

/**
 * Parses a query string the way Rack does for GitLab: `a[]=1&a[]=2` is an
 * array, `a[b]=1` a nested object, and a repeated plain key keeps the last value.
 */
export function parseQuery(query: string): Params {
  const out: Params = {};
  for (const [rawKey, value] of new URLSearchParams(query)) {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!m || !m[2]) {
      out[rawKey] = value;
      continue;
    }
    const path = [...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1] ?? '');
    let target: Params = out;
    let key = m[1] ?? rawKey;
    for (const seg of path) {
      if (seg === '') {
        const arr = Array.isArray(target[key]) ? (target[key] as unknown[]) : [];
        target[key] = arr;
        arr.push(value);
        key = '';
        break;
      }
      const next = target[key] && typeof target[key] === 'object' && !Array.isArray(target[key]) ? (target[key] as Params) : {};
      target[key] = next;
      target = next;
      key = seg;
    }
    if (key !== '') target[key] = value;
  }
  return out;
}
