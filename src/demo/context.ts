import { markerKey } from '../engine/markers.js';
import { isJobName, JOBS } from '../jobs/index.js';
import type { Stack } from './stack.js';
import type { DemoContext, IssueEdit, IssueInput } from './types.js';

/** Builds the scenario context over a running stack; `write` receives every transcript line. */
export function createDemoContext(stack: Stack, outDir: string, write: (line: string) => void): DemoContext {
  const config = stack.runtime.loaded.config;
  const projectPath = (key: string): string => {
    const project = config.projects[key];
    if (!project) throw new Error(`demo: no project "${key}" in the config`);
    return String(project.path);
  };
  // The sandbox's JSON, read by the demo only for the fields it prints (iid).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const api = async (username: string, method: string, path: string, body?: object): Promise<any> => {
    const response = await fetch(`${stack.sandbox.url}/api/v4${path}`, {
      method,
      headers: { 'private-token': stack.tokenFor(username), 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`demo: ${method} ${path} → ${response.status} ${await response.text()}`);
    return response.json();
  };
  const issuePath = (key: string) => `/projects/${encodeURIComponent(projectPath(key))}/issues`;
  const mrPath = (key: string) => `/projects/${encodeURIComponent(projectPath(key))}/merge_requests`;
  const printBotNotes = (notes: readonly { body: string; createdAt: Date; updatedAt: Date }[]) => {
    for (const note of notes) {
      const key = markerKey(note.body);
      if (!key) continue;
      const text = note.body
        .replace(/<!--[\s\S]*?-->/g, '')
        .trim()
        .split('\n')
        .filter(Boolean);
      write(`  bot note [${key}]${note.updatedAt > note.createdAt ? ' (edited)' : ''}:`);
      for (const line of text.slice(0, 12)) write(`    | ${line}`);
      if (text.length > 12) write(`    | … (${text.length - 12} more lines)`);
    }
  };

  return {
    stack,
    outDir,
    projectPath,
    say: write,
    async openIssue(username: string, key: string, input: IssueInput) {
      const issue = await api(username, 'POST', issuePath(key), { ...input, labels: input.labels?.join(',') });
      write(`@${username} opens ${projectPath(key)}#${issue.iid} "${input.title}"`);
      return issue.iid as number;
    },
    async editIssue(username: string, key: string, iid: number, edit: IssueEdit) {
      const body = {
        ...edit,
        add_labels: edit.add_labels?.join(','),
        remove_labels: edit.remove_labels?.join(','),
      };
      await api(username, 'PUT', `${issuePath(key)}/${iid}`, body);
      const what = Object.keys(edit).join(', ');
      write(`@${username} edits ${projectPath(key)}#${iid} (${what})`);
    },
    async comment(username: string, key: string, iid: number, body: string) {
      await api(username, 'POST', `${issuePath(key)}/${iid}/notes`, { body });
      write(`@${username} comments on ${projectPath(key)}#${iid}`);
    },
    settle: () => stack.settle(),
    show(key: string, iid: number) {
      const store = stack.sandbox.store;
      const project = store.resolveProject(projectPath(key));
      const issue = project && store.getIssue(project.id, iid);
      if (!issue) throw new Error(`demo: no issue ${projectPath(key)}#${iid}`);
      write(`  ${projectPath(key)}#${iid}: labels [${issue.labels.join(', ')}]${issue.confidential ? ', confidential' : ''}`);
      printBotNotes(store.listNotes(issue));
    },
    async pushFiles(username, key, branch, files, message) {
      const store = stack.sandbox.store;
      const project = store.resolveProject(projectPath(key))!;
      const existing = store.branchFiles(project.id, branch);
      const base = existing ?? store.branchFiles(project.id, project.defaultBranch) ?? new Map<string, string>();
      const actions = Object.entries(files).map(([path, content]) => ({ action: base.has(path) ? 'update' : 'create', file_path: path, content }));
      await api(username, 'POST', `/projects/${encodeURIComponent(projectPath(key))}/repository/commits`, {
        branch,
        commit_message: message,
        actions,
        ...(existing ? {} : { start_branch: project.defaultBranch }),
      });
      write(`@${username} pushes "${message}" to ${projectPath(key)}:${branch} (${Object.keys(files).join(', ')})`);
    },
    async openMergeRequest(username, key, input) {
      const mr = await api(username, 'POST', mrPath(key), { source_branch: input.sourceBranch, target_branch: 'main', title: input.title, description: input.description });
      write(`@${username} opens ${projectPath(key)}!${mr.iid} "${input.title}"`);
      return mr.iid as number;
    },
    async approveMergeRequest(username, key, iid) {
      await api(username, 'POST', `${mrPath(key)}/${iid}/approve`);
      write(`@${username} approves ${projectPath(key)}!${iid}`);
    },
    async awardMergeRequest(username, key, iid, name) {
      await api(username, 'POST', `${mrPath(key)}/${iid}/award_emoji`, { name });
      write(`@${username} reacts :${name}: on ${projectPath(key)}!${iid}`);
    },
    async commentOnMergeRequest(username, key, iid, body) {
      await api(username, 'POST', `${mrPath(key)}/${iid}/notes`, { body });
      write(`@${username} comments on ${projectPath(key)}!${iid}: ${JSON.stringify(body.length > 60 ? `${body.slice(0, 57)}...` : body)}`);
    },
    showMergeRequest(key, iid) {
      const store = stack.sandbox.store;
      const project = store.resolveProject(projectPath(key));
      const mr = project && store.getMergeRequest(project.id, iid);
      if (!mr) throw new Error(`demo: no merge request ${projectPath(key)}!${iid}`);
      write(`  ${projectPath(key)}!${iid}: labels [${mr.labels.join(', ')}]`);
      const statuses = store.statuses.filter((s) => s.projectId === mr.projectId && s.sha === mr.sha);
      const latest = statuses.at(-1);
      if (latest) write(`  commit ${mr.sha.slice(0, 8)}: ${latest.name} ${latest.state} "${latest.description ?? ''}"`);
      printBotNotes(store.listNotes(mr));
    },
    async runJob(job: string) {
      if (!isJobName(job)) throw new Error(`demo: unknown job "${job}"`);
      const lines: string[] = [];
      const out = { write: (chunk: string) => (lines.push(...chunk.split('\n').filter(Boolean)), true) } as NodeJS.WritableStream;
      const result = await JOBS[job](stack.runtime, { out });
      for (const line of lines) write(`  ${line}`);
      write(`  ${result.summary}`);
      await stack.settle();
      return result.summary;
    },
  };
}
