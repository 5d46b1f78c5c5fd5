import { collect } from '../gitlab/collect.js';
import type { BotConfig } from '../config/schema.js';
import type { GitLabGateway } from '../gitlab/types.js';
import type { Facts, IssueBrief, IssueSubject, Need } from '../rules/types.js';

export interface FactFailure {
  need: Need;
  error: string;
}

export interface LoadedFacts {
  facts: Facts;
  failures: FactFailure[];
}

/**
 * Loads the facts rules ask for. One loader lives for one event or one scheduled
 * run, so project-wide facts (board counts, team members) are read once per run.
 */
export class FactsLoader {
  private readonly activeNow = new Map<number, Promise<Record<string, IssueBrief[]>>>();

  constructor(
    private readonly config: BotConfig,
    private readonly gateway: Pick<GitLabGateway, 'listNotes' | 'listIssues'>,
    /** The team's usernames; shared across events by the bot (membership changes rarely). */
    private readonly team: () => Promise<Set<string>>,
  ) {}

  /**
   * Loads each needed fact on its own: one that cannot be read (a missing team group,
   * a 5xx after retries) is left out and reported, and the rules that can do without
   * it still run (a rule that cannot raises its own error).
   */
  async load(subject: IssueSubject, needs: ReadonlySet<Need>): Promise<LoadedFacts> {
    const facts: Facts = {};
    const failures: FactFailure[] = [];
    const { issue, project } = subject;
    const attempt = async (need: Need, read: () => Promise<void>) => {
      if (!needs.has(need)) return;
      try {
        await read();
      } catch (error) {
        failures.push({ need, error: String((error as Error).message ?? error) });
      }
    };
    await attempt('notes', async () => {
      facts.notes = await collect(this.gateway.listNotes({ projectId: issue.projectId, kind: 'issue', iid: issue.iid }));
    });
    if (project.key === this.config.activeNow.project) {
      await attempt('activeNow', async () => {
        facts.activeNow = await this.loadActiveNow(project.id);
      });
    }
    await attempt('teamMembers', async () => {
      facts.teamMembers = await this.team();
    });
    return { facts, failures };
  }

  /** Forget project-wide facts after a write that may have changed them (a board label). */
  invalidateBoard(projectId: number): void {
    this.activeNow.delete(projectId);
  }

  private loadActiveNow(projectId: number): Promise<Record<string, IssueBrief[]>> {
    let board = this.activeNow.get(projectId);
    if (!board) {
      board = Promise.all(
        this.config.activeNow.labels.map(async (label) => {
          const issues = await collect(this.gateway.listIssues(projectId, { state: 'opened', labels: [label], orderBy: 'created_at', sort: 'asc' }));
          return [label, issues.map((i) => ({ iid: i.iid, title: i.title, webUrl: i.webUrl }))] as const;
        }),
      ).then((entries) => Object.fromEntries(entries));
      this.activeNow.set(projectId, board);
    }
    return board;
  }
}
