// Builds the notify consumer's ports once per cold start: the table, SES, the wall clock, the validated
// configuration and the signing key (read on first use).
import { loadConfig } from '#shared/config/load-config.ts';
import type { NotifyDeps } from '#shared/domain/notify-requester.ts';
import { systemClock } from './clock.ts';
import { dynamoDocumentClient, tableName } from './dynamodb.ts';
import { sesMailer } from './mailer.ts';
import { createNotificationStore } from './notification-store.ts';
import { signingKey } from './signing-key.ts';

let deps: NotifyDeps | undefined;

export const notifyDeps = (): NotifyDeps =>
  (deps ??= {
    store: createNotificationStore(dynamoDocumentClient(), tableName()),
    mailer: sesMailer,
    clock: systemClock,
    config: loadConfig(),
    signingKey,
  });
