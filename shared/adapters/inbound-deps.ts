// Builds the inbound mail handler's ports once per cold start: the ticket ports, the Message-ID claims,
// the mail bucket for attachments and the signing key (reply addresses).
import type { InboundDeps } from '#shared/domain/inbound-mail.ts';
import { dynamoDocumentClient, tableName } from './dynamodb.ts';
import { s3AttachmentStore } from './mail-bucket.ts';
import { createMailIntakeStore } from './mail-intake-store.ts';
import { signingKey } from './signing-key.ts';
import { ticketDeps } from './ticket-deps.ts';

let deps: InboundDeps | undefined;

export const inboundDeps = (): InboundDeps =>
  (deps ??= {
    ...ticketDeps(),
    mailStore: createMailIntakeStore(dynamoDocumentClient(), tableName()),
    attachments: s3AttachmentStore,
    signingKey,
  });
