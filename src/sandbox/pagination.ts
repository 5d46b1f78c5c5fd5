// Offset pagination as GitLab's REST API does it: `page`, `per_page` (default
// 20, max 100), headers x-page, x-per-page, x-next-page, x-prev-page, x-total,
// x-total-pages, and a Link header with rel prev/next/first/last. When a query
// counts more than 10,000 rows GitLab omits x-total, x-total-pages and the
// rel="last" link (the limit is a parameter here so tests can reach it cheaply).

import type { Request, Response } from 'express';
import { int, paramsOf } from './params.js';

export const DEFAULT_COUNT_LIMIT = 10_000;

export interface PaginationOptions {
  baseUrl: string;
  countLimit: number;
}

export function paginate<T>(req: Request, res: Response, items: readonly T[], opts: PaginationOptions): T[] {
  const p = paramsOf(req);
  const page = Math.max(1, int(p, 'page') ?? 1);
  const requested = int(p, 'per_page') ?? 20;
  const perPage = requested < 1 ? 20 : Math.min(requested, 100);
  const total = items.length;
  const totalPages = Math.max(1, Math.ceil(total / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const hasNext = page * perPage < total;
  const hasPrev = page > 1;
  const counted = total <= opts.countLimit;

  res.setHeader('x-page', String(page));
  res.setHeader('x-per-page', String(perPage));
  res.setHeader('x-next-page', hasNext ? String(page + 1) : '');
  res.setHeader('x-prev-page', hasPrev ? String(page - 1) : '');
  if (counted) {
    res.setHeader('x-total', String(total));
    res.setHeader('x-total-pages', String(totalPages));
  }

  const link = (n: number, rel: string): string => {
    const url = new URL(req.originalUrl, opts.baseUrl);
    url.searchParams.set('page', String(n));
    url.searchParams.set('per_page', String(perPage));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (hasPrev) links.push(link(page - 1, 'prev'));
  if (hasNext) links.push(link(page + 1, 'next'));
  links.push(link(1, 'first'));
  if (counted) links.push(link(totalPages, 'last'));
  res.setHeader('Link', links.join(', '));
  return slice;
}
