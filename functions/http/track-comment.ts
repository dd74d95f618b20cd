// POST /track/{token}/comments — the requester adds a public comment through their tracking link.
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { signingKey } from '#shared/adapters/signing-key.ts';
import { ticketDeps } from '#shared/adapters/ticket-deps.ts';
import { notFound } from '#shared/domain/errors.ts';
import { addCommentSchema } from '#shared/domain/ticket.ts';
import { commentThroughTrackingLink, TrackingLinkRefused } from '#shared/domain/track-ticket.ts';
import { httpHandler } from '#shared/http/http-handler.ts';
import { metrics } from '#shared/observability.ts';

export const handler = httpHandler({ auth: false, body: addCommentSchema }, async ({ pathParameters, body, sourceIp }) => {
  try {
    const { comment } = await commentThroughTrackingLink(ticketDeps(), await signingKey(), pathParameters.token ?? '', body, sourceIp);
    return { status: 201, body: { id: comment.id, at: comment.at, body: comment.type === 'CommentAdded' ? comment.data.body : '' } };
  } catch (error) {
    if (!(error instanceof TrackingLinkRefused)) throw error;
    metrics.addMetric('TrackingLinkRefused', MetricUnit.Count, 1);
    throw notFound('This link does not lead to a ticket: it may have expired.');
  }
});
