import type { BotConfig } from '../config/schema.js';
import type { Renderer } from '../render/renderer.js';
import type { SwirFigures } from './collect.js';

/** The review as Markdown, from `config/messages/swir.hbs`. */
export function renderSwir(render: Renderer, figures: SwirFigures, config: BotConfig): string {
  const chartMax = Math.max(1, ...figures.perDay.map((d) => Math.max(d.opened, d.closed)));
  return render.render('swir', {
    ...figures,
    anyTopic: figures.topics.some((t) => t.items.length > 0),
    anyOnBoard: figures.needsAttention.activeNow.some((c) => c.items.length > 0),
    chartMax,
    needsInfoLabel: config.labels.needsInfo,
    waitingDays: config.swir.waitingDays,
    kpiUrl: config.swir.kpiUrl ?? null,
  });
}

/** `Support Week in Review 2026-W48`. */
export function swirTitle(weekKey: string): string {
  return `Support Week in Review ${weekKey}`;
}
