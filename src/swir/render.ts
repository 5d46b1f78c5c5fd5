import type { BotConfig } from '../config/schema.js';
import type { Renderer } from '../render/renderer.js';
import type { SwirFigures } from './collect.js';

/** What the review's template reads besides the figures: from the config. */
export interface SwirSettings {
  needsInfoLabel: string;
  waitingDays: number;
  kpiUrl: string | null;
}

/** The data `config/messages/swir.hbs` is rendered with (also its load-time samples, `samples.ts`). */
export function swirMessageData(figures: SwirFigures, settings: SwirSettings): Record<string, unknown> {
  return {
    ...figures,
    ...settings,
    anyTopic: figures.topics.some((t) => t.items.length > 0),
    anyOnBoard: figures.needsAttention.activeNow.some((c) => c.items.length > 0),
    chartMax: Math.max(1, ...figures.perDay.map((d) => Math.max(d.opened, d.closed))),
  };
}

/** The review as Markdown, from `config/messages/swir.hbs`. */
export function renderSwir(render: Renderer, figures: SwirFigures, config: BotConfig): string {
  return render.render('swir', swirMessageData(figures, { needsInfoLabel: config.labels.needsInfo, waitingDays: config.swir.waitingDays, kpiUrl: config.swir.kpiUrl ?? null }));
}

/** `Support Week in Review 2026-W48`. */
export function swirTitle(weekKey: string): string {
  return `Support Week in Review ${weekKey}`;
}
