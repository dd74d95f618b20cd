// A signed link that leads nowhere is a 404 like a ticket that does not exist, in the same words on every route
// of its kind, and it is counted.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TrackingLinkRefused } from '#shared/domain/access/track-ticket.ts';
import { CsatLinkRefused } from '#shared/domain/csat/csat.ts';
import { DomainError } from '#shared/domain/errors.ts';
import { ratingLinkRoute, trackingLinkRoute } from '#shared/http/signed-link.ts';
import { metrics } from '#shared/metrics.ts';

afterEach(() => vi.restoreAllMocks());

describe('the signed links’ routes', () => {
  it.each([
    ['a tracking link', trackingLinkRoute, () => new TrackingLinkRefused(), 'TrackingLinkRefused', /Reply to your last mail/],
    ['a rating link', ratingLinkRoute, () => new CsatLinkRefused(), 'CsatLinkRefused', /links last 7 days/],
  ])('turn %s that leads nowhere into not-found, in its words, and count it', async (_, route, refusal, metric, words) => {
    // Arrange
    const counted = vi.spyOn(metrics, 'addMetric');

    // Act
    const error = await route(async () => {
      throw refusal();
    }).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'not-found', message: expect.stringMatching(words) });
    expect(counted).toHaveBeenCalledWith(metric, 'Count', 1);
  });

  it('pass answers and other failures through, uncounted', async () => {
    const counted = vi.spyOn(metrics, 'addMetric');
    await expect(trackingLinkRoute(async () => 42)).resolves.toBe(42);
    await expect(
      ratingLinkRoute(async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    await expect(
      trackingLinkRoute(async () => {
        throw new CsatLinkRefused();
      }),
    ).rejects.toBeInstanceOf(CsatLinkRefused);
    expect(counted).not.toHaveBeenCalled();
  });
});
