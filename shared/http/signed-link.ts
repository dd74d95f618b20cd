// The routes behind a signed link (tracking, ratings): a link that leads nowhere — forged, altered, expired
// or for another purpose — is answered like a ticket that does not exist, in the same words on every route of
// its kind, and counted.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { TrackingLinkRefused } from '#shared/domain/access/track-ticket.ts';
import { CsatLinkRefused } from '#shared/domain/csat/csat.ts';
import { notFound } from '#shared/domain/errors.ts';
import { metrics } from '#shared/metrics.ts';

/**
 * What a signed link's answers carry: never kept by a cache (the token is in the address), and never sent on as a
 * referrer by a page or a redirect that leaves it.
 */
export const SIGNED_LINK_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;

const refusedLinkAsNotFound = async <T>(
  refusal: new (...args: never[]) => Error,
  metric: string,
  message: string,
  run: () => Promise<T>,
): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof refusal)) throw error;
    metrics.addMetric(metric, MetricUnit.Count, 1);
    throw notFound(message);
  }
};

/** A tracking link's route (`/track/{token}…`): the page, a comment, a file up or down. */
export const trackingLinkRoute = <T>(run: () => Promise<T>): Promise<T> =>
  refusedLinkAsNotFound(
    TrackingLinkRefused,
    'TrackingLinkRefused',
    'This link does not lead to a ticket: it may have expired. Reply to your last mail from the helpdesk instead.',
    run,
  );

/** A rating link's route (`/csat/{token}`): the choice shown, the vote recorded. */
export const ratingLinkRoute = <T>(run: () => Promise<T>): Promise<T> =>
  refusedLinkAsNotFound(
    CsatLinkRefused,
    'CsatLinkRefused',
    'This rating link does not lead to a ticket: it may have expired (links last 7 days after the resolution).',
    run,
  );
