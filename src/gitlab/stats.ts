// Counts GitLab requests by method, endpoint template and status: for /metrics, the
// benchmarks and the one-line job summary.

export interface RequestCount {
  method: string;
  endpoint: string;
  status: string;
  count: number;
}

/** `projects/gitlab-com%2Fsupport%2Fx/issues/12/notes` → `projects/:id/issues/:iid/notes`. */
export function endpointTemplate(endpoint: string): string {
  const path = endpoint.split('?')[0] ?? '';
  const segments = path.replace(/^\/?(api\/v4\/)?/, '').split('/');
  return segments
    .map((segment, i) => {
      const previous = segments[i - 1];
      if (previous === 'projects' || previous === 'groups' || previous === 'users' || previous === 'namespaces') return ':id';
      if (previous === 'files') return ':file_path';
      if (/^\d+$/.test(segment)) return previous === 'issues' || previous === 'merge_requests' ? ':iid' : ':id';
      if (/^[0-9a-f]{40}$/.test(segment)) return ':sha';
      // The API's own words are lower case and underscores; anything else came from data
      // (a namespace a request names, a path in a link) and must not become a metric label.
      return /^[a-z_]{1,40}$/.test(segment) ? segment : ':value';
    })
    .join('/');
}

export class RequestStats {
  private readonly counts = new Map<string, RequestCount>();
  private readonly listeners: ((status: number | 'error', method: string) => void)[] = [];

  /** Called with the status and method of every request from now on (the server's health follows GitLab's answers). */
  onRecord(listener: (status: number | 'error', method: string) => void): void {
    this.listeners.push(listener);
  }

  record(method: string, endpoint: string, status: number | 'error'): void {
    for (const listener of this.listeners) listener(status, method);
    const template = endpointTemplate(endpoint);
    const key = `${method} ${template} ${status}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { method, endpoint: template, status: String(status), count: 1 });
  }

  snapshot(): RequestCount[] {
    return [...this.counts.values()].map((c) => ({ ...c }));
  }

  total(filter: (c: RequestCount) => boolean = () => true): number {
    let sum = 0;
    for (const c of this.counts.values()) if (filter(c)) sum += c.count;
    return sum;
  }

  /** Requests that changed something (or tried to). */
  writes(): number {
    return this.total((c) => c.method !== 'GET' && c.method !== 'HEAD');
  }
}
