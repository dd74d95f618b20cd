// The deploy-time seed (a CloudFormation custom resource): creates each default article that was never
// created, and leaves every article the organisation has edited, deleted or written under the same id as it
// is. It runs on create and whenever the default articles change; deleting the stack's resource keeps the
// articles. CloudFormation waits for the answer at the pre-signed URL, so an answer is sent whatever happens.
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { seedArticles } from '#shared/domain/kb/manage-articles.ts';
import { defaultArticles } from '#shared/kb/default-articles.ts';
import { errorForLog, logger, observed } from '#shared/observability.ts';
import { kbDeps } from '#shared/wiring/kb-deps.ts';

/** The one physical resource: the seed has nothing of its own to replace or delete. */
export const PHYSICAL_ID = 'helpdesk-knowledge-base-seed';

const answer = async (
  event: CloudFormationCustomResourceEvent,
  status: 'SUCCESS' | 'FAILED',
  reason: string,
  data: Record<string, unknown>,
) => {
  const body = JSON.stringify({
    Status: status,
    Reason: reason,
    PhysicalResourceId: PHYSICAL_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: data,
  });
  // The pre-signed S3 URL takes no content type of its own.
  const response = await fetch(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body });
  if (!response.ok) throw new Error(`CloudFormation's response URL answered ${response.status}`);
};

export const handler = observed<CloudFormationCustomResourceEvent, void>().handler(async (event, context: Context) => {
  if (event.RequestType === 'Delete') return answer(event, 'SUCCESS', 'The articles stay with the table.', {});
  try {
    const created = await seedArticles(kbDeps(), defaultArticles());
    logger.info('knowledge base seeded', { created: created.length });
    await answer(event, 'SUCCESS', `${created.length} default articles created`, { created: created.length });
  } catch (error) {
    logger.error('knowledge base seed failed', { error: errorForLog(error) });
    await answer(event, 'FAILED', `The seed failed; see log stream ${context.logStreamName}.`, {});
  }
});
