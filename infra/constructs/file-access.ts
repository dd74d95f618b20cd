// What a route's `attachments` (routes.ts AttachmentAccess) grants on the mail bucket: each action on its prefix
// only. A presigned URL carries its signer's permission, so the upload and download routes hold exactly what the
// caller's PUT or GET needs. The bucket's ARN is the stateful stack's export, so each grant is one cdk-nag
// acknowledgement naming the prefix.
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { UPLOAD_PREFIX } from '#shared/domain/tickets/attachments.ts';
import type { AttachmentAccess } from '#shared/http/routes.ts';
import type { HelpdeskFunction } from './helpdesk-function.ts';
import { ATTACHMENTS_PREFIX, type MailBucket } from './inbound-mail.ts';

type Grant = { actions: string[]; prefix: string; reason: string };

const GRANTS: Record<AttachmentAccess, Grant[]> = {
  upload: [
    { actions: ['s3:PutObject'], prefix: UPLOAD_PREFIX, reason: 'signs upload URLs for keys it makes under the caller’s own folder there' },
  ],
  link: [
    {
      actions: ['s3:GetObject', 's3:DeleteObject'],
      prefix: UPLOAD_PREFIX,
      reason: 'reads an upload’s first bytes to check its type, and deletes it once linked or refused',
    },
    { actions: ['s3:PutObject'], prefix: ATTACHMENTS_PREFIX, reason: 'copies a checked upload to where linked files live' },
  ],
  download: [
    { actions: ['s3:GetObject'], prefix: ATTACHMENTS_PREFIX, reason: 'signs download links for files of events the caller may see' },
  ],
  delete: [
    {
      actions: ['s3:DeleteObject'],
      prefix: ATTACHMENTS_PREFIX,
      reason: 'erasure deletes the files a requester sent, whose keys it reads from their history at run time',
    },
  ],
};

export const grantFiles = (fn: HelpdeskFunction, access: readonly AttachmentAccess[], mail: MailBucket) => {
  const byPrefix = new Map<string, { actions: Set<string>; reasons: string[] }>();
  for (const grant of [...new Set(access)].flatMap((name) => GRANTS[name])) {
    const entry = byPrefix.get(grant.prefix) ?? { actions: new Set<string>(), reasons: [] };
    for (const action of grant.actions) entry.actions.add(action);
    entry.reasons.push(grant.reason);
    byPrefix.set(grant.prefix, entry);
  }
  for (const [prefix, { actions, reasons }] of byPrefix) {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: [...actions].sort(), resources: [`${mail.exportedBucketArn}/${prefix}*`] }));
    Validations.of(fn.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${mail.bucketArnExportName}/${prefix}*]`,
      reason: `${[...actions].sort().join(', ')} on ${prefix}* only: ${reasons.join('; ')}.`,
    });
  }
  // Without s3:ListBucket S3 answers a missing key with 403, not 404: a never-uploaded file would look like a fault.
  if (access.includes('link'))
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [mail.exportedBucketArn],
        conditions: { StringLike: { 's3:prefix': [`${UPLOAD_PREFIX}*`] } },
      }),
    );
};
