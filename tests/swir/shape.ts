/**
 * Where two values differ in shape: an object's keys, recursively; arrays by their elements
 * when both have some; primitives and null are leaves. For sample data that must look like
 * the real data.
 */
export function shapeDifferences(a: unknown, b: unknown, path = '$'): string[] {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return [`${path}: an array on one side only`];
    return a.length > 0 && b.length > 0 ? a.flatMap((x) => b.flatMap((y) => shapeDifferences(x, y, `${path}[]`))) : [];
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (!isObject(a) || !isObject(b)) return [];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => (k in a && k in b ? shapeDifferences(a[k], b[k], `${path}.${k}`) : [`${path}.${k}: on one side only`]));
}
