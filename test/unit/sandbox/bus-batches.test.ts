// The sandbox's bus sends the deliveries that are ready together as SendMessageBatch requests: one queue each, in
// the order the events came, never more than SQS takes in one request (ten messages, 1 MiB). (Delivery itself,
// retries and the pending file run end to end in test/integration/outages.test.ts and waiting-work.test.ts.)
import { describe, expect, it } from 'vitest';
import { sendBatches } from '#sandbox/eventbridge-local.ts';

const delivery = (queue: string, n: number, size = 100) => ({ queue, body: `${n}`.padEnd(size, 'x') });
const shape = (batches: { queue: string; body: string }[][]) =>
  batches.map((batch) => batch.map(({ queue, body }) => `${queue}:${Number.parseInt(body, 10)}`));

describe('sendBatches', () => {
  it('puts each queue’s deliveries in their own batch, in order', () => {
    // Arrange
    const ready = [delivery('routing', 1), delivery('notify', 1), delivery('routing', 2), delivery('stats', 1), delivery('notify', 2)];

    // Act
    const batches = sendBatches(ready);

    // Assert
    expect(shape(batches)).toEqual([['routing:1', 'routing:2'], ['notify:1', 'notify:2'], ['stats:1']]);
  });

  it('starts a new batch after ten messages', () => {
    // Arrange
    const ready = Array.from({ length: 23 }, (_, n) => delivery('search', n));

    // Act
    const batches = sendBatches(ready);

    // Assert
    expect(batches.map((batch) => batch.length)).toEqual([10, 10, 3]);
    expect(batches.flat().map(({ body }) => Number.parseInt(body, 10))).toEqual(ready.map((_, n) => n));
  });

  it('starts a new batch before the bodies would pass SQS’s 1 MiB a request', () => {
    // Arrange: EventBridge's largest events, 256 KiB each
    const ready = Array.from({ length: 5 }, (_, n) => delivery('notify', n, 256 * 1024));

    // Act
    const batches = sendBatches(ready);

    // Assert
    expect(batches.map((batch) => batch.length)).toEqual([3, 2]);
    for (const batch of batches) expect(batch.reduce((bytes, { body }) => bytes + Buffer.byteLength(body), 0)).toBeLessThan(1024 * 1024);
  });
});
