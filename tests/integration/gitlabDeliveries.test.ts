import { describe, expect, it } from 'vitest';
import type { Stack } from '../../src/demo/stack.js';
import type { DemoContext } from '../../src/demo/types.js';
import { greetRule } from '../helpers/testRules.js';
import { useDemoStack } from '../helpers/demo.js';

// The bot's webhook against deliveries as GitLab.com makes them: out of order (background
// jobs), update hooks for updates that changed nothing, quick-action-only notes that fire no
// Note Hook, and a hook that GitLab.com disables after 4 failed deliveries in a row
// (doc/user/project/integrations/webhooks.md). The bot must write nothing it need not and
// never let its own hook be disabled.

let stack: Stack;
let demo: DemoContext;
useDemoStack({ rules: [greetRule], sandbox: { webhookDelivery: { maxDelayMs: 30, seed: 3 } } }, (started, actors) => {
  stack = started;
  demo = actors;
});

const botWrites = () => stack.sandbox.requests.filter((r) => r.method !== 'GET' && r.user === 'support-bot').length;

describe('authentic GitLab deliveries', () => {
  it('an update that changed nothing reaches the bot, which writes nothing for it', async () => {
    const iid = await demo.openIssue('alice', 'feedback', { title: 'Unchanged', description: 'text' });
    await demo.settle();
    const before = botWrites();
    const deliveriesBefore = stack.sandbox.deliveries.length;
    await demo.editIssue('alice', 'feedback', iid, { title: 'Unchanged' });
    await demo.settle();
    const update = stack.sandbox.deliveries.slice(deliveriesBefore).find((d) => (d.body as any).object_attributes?.action === 'update');
    expect(update).toMatchObject({ status: 202 });
    // The bot updated the issue last, so alice's no-op still saves: GitLab sends updated_at and
    // updated_by_id as changed (issuable_base_service.rb assigns `updated_by: current_user`).
    expect(Object.keys((update!.body as any).changes).sort()).toEqual(['updated_at', 'updated_by_id']);
    expect(botWrites()).toBe(before);
  });

  it('a burst of activity, delivered out of order, never fails a delivery, so GitLab never disables the hook', async () => {
    for (let i = 0; i < 5; i += 1) {
      const iid = await demo.openIssue('bruno', 'feedback', { title: `Burst ${i}` });
      await demo.comment('chen', 'feedback', iid, 'Looking.');
      await demo.comment('chen', 'feedback', iid, '/label ~"seen::yes"');
      await demo.editIssue('bruno', 'feedback', iid, { add_labels: ['bug'] });
    }
    await demo.settle();
    const hook = stack.sandbox.store.hooks.find((h) => h.url === stack.webhookUrl && h.projectId === stack.sandbox.store.resolveProject('gitlab-com/support/feedback')!.id)!;
    const statuses = new Set(stack.sandbox.deliveries.filter((d) => d.hookId === hook.id).map((d) => d.status));
    expect([...statuses]).toEqual([202]);
    expect(hook).toMatchObject({ recentFailures: 0, disabledUntil: null, permanentlyDisabled: false });
    for (let iid = 2; iid <= 6; iid += 1) {
      const notes = stack.sandbox.store.listNotes(stack.sandbox.store.getIssue(hook.projectId, iid)!).filter((n) => n.body.includes('support-bot:greet'));
      expect(notes).toHaveLength(1);
    }
  });
});
