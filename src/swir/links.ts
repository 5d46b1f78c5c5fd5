// Links to GitLab's issue list, filtered as GitLab's issue list URL can filter: by state and
// labels (`state=opened&label_name[]=…`). Counts bounded by dates have no such filter, so
// they carry no link.

export function issueListUrl(projectWebUrl: string, filter: { state?: 'opened' | 'closed' | 'all'; labels?: readonly string[] }): string {
  const params: string[] = [];
  if (filter.state) params.push(`state=${filter.state}`);
  for (const label of filter.labels ?? []) params.push(`label_name[]=${encodeURIComponent(label)}`);
  return `${projectWebUrl.replace(/\/+$/, '')}/-/issues${params.length > 0 ? `?${params.join('&')}` : ''}`;
}
