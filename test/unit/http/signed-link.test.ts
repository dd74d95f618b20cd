// A signed link that leads nowhere is a 404 like a ticket that does not exist, and it is counted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrackingLinkRefused } from '#shared/domain/access/track-ticket.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { refusedLinkAsNotFound } from '#shared/http/signed-link.ts';
import { metrics } from '#shared/observability.ts';

afterEach(() => vi.restoreAllMocks());

describe('refusedLinkAsNotFound', () => {
  it('turns a refused link into not-found and counts it', async () => {
    const counted = vi.spyOn(metrics, 'addMetric');
    const error = await refusedLinkAsNotFound(TrackingLinkRefused, 'TrackingLinkRefused', 'No such link.', async () => {
      throw new TrackingLinkRefused();
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'not-found', message: 'No such link.' });
    expect(counted).toHaveBeenCalledWith('TrackingLinkRefused', 'Count', 1);
  });

  it('passes answers and other failures through, uncounted', async () => {
    const counted = vi.spyOn(metrics, 'addMetric');
    await expect(refusedLinkAsNotFound(TrackingLinkRefused, 'TrackingLinkRefused', 'x', async () => 42)).resolves.toBe(42);
    await expect(
      refusedLinkAsNotFound(TrackingLinkRefused, 'TrackingLinkRefused', 'x', async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    expect(counted).not.toHaveBeenCalled();
  });
});
