// Which queues and rules a deployment has: a queue is polled all month whether busy or not, so the webhooks' exists
// only with a subscription and the chat's only with a chat channel on; a rule to a queue that is not there is not
// made either (the sandbox's bus reads the same list).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '#shared/config/load-config.ts';
import { deployedQueues } from '#shared/events/queues.ts';
import { busRules } from '#shared/events/rules.ts';

const shipped = loadConfig();
const names = (items: readonly { name: string }[]) => items.map((item) => item.name);

describe('deployed queues and rules', () => {
  it('leaves out the webhooks queue and its rule while no subscription is configured', () => {
    // Act
    const queues = names(deployedQueues(shipped));
    const rules = names(busRules(shipped));

    // Assert
    expect(shipped.webhooks).toEqual([]);
    expect(queues).not.toContain('webhooks');
    expect(queues).toEqual(expect.arrayContaining(['routing', 'notify', 'chat', 'exports']));
    expect(rules).not.toContain('deliver-webhooks');
    expect(rules).toContain('notify-chat');
  });

  it('leaves out the chat queue and the notify-chat rule with every chat channel off, and adds the webhooks with a subscription', () => {
    // Arrange
    const config = {
      channels: {},
      webhooks: [{ id: 'erp', url: 'https://erp.example.org/h', events: ['TicketCreated'], secret: 'helpdesk/webhooks/erp' }],
    } as unknown as Parameters<typeof busRules>[0];

    // Act
    const queues = names(deployedQueues(config));
    const rules = names(busRules(config));

    // Assert
    expect(queues).not.toContain('chat');
    expect(queues).toContain('webhooks');
    expect(rules).not.toContain('notify-chat');
    expect(rules).toContain('deliver-webhooks');
  });
});
