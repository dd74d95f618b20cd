// Builds the notify consumer's ports once per cold start: the table, the staff directory, SES, the wall
// clock, the validated configuration, the signing key (read on first use) and where links point.

import { CLAIM_SPACES, createClaimStore } from '#shared/adapters/claim-store.ts';
import { systemClock } from '#shared/adapters/clock.ts';
import { dynamoDocumentClient, tableName } from '#shared/adapters/dynamodb.ts';
import { sesMailer } from '#shared/adapters/mailer.ts';
import { createNotificationStore } from '#shared/adapters/notification-store.ts';
import { publicLinks } from '#shared/adapters/public-links.ts';
import { signingKeyCreatingIfMissing } from '#shared/adapters/signing-key.ts';
import { createStaffDirectory } from '#shared/adapters/staff-directory.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import type { NotifyDeps } from '#shared/domain/mail/notify.ts';

let deps: NotifyDeps | undefined;

export const notifyDeps = (): NotifyDeps =>
  (deps ??= {
    store: createNotificationStore(dynamoDocumentClient(), tableName()),
    staff: createStaffDirectory(dynamoDocumentClient(), tableName()),
    sendClaims: createClaimStore(dynamoDocumentClient(), tableName(), CLAIM_SPACES.notification),
    mailer: sesMailer,
    clock: systemClock,
    config: loadConfig(),
    signingKey: signingKeyCreatingIfMissing,
    links: publicLinks(),
  });
