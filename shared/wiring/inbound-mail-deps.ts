// Builds the inbound mail handler's ports once per cold start: the ticket ports, the Message-ID claims,
// the mail bucket for attachments and the signing key (reply addresses).

import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { s3AttachmentStore } from '#shared/adapters/mail-bucket.ts';
import { signingKey } from '#shared/adapters/signing-key.ts';
import type { InboundDeps } from '#shared/domain/mail/inbound-mail.ts';
import { ticketDeps } from './ticket-deps.ts';

let deps: InboundDeps | undefined;

export const inboundDeps = (): InboundDeps =>
  (deps ??= {
    ...ticketDeps(),
    messageClaims: createClaimStore(dynamoDocumentClient(), tableName(), CLAIM_SPACES.inboundMail),
    attachments: s3AttachmentStore,
    signingKey,
  });
