// Sends mail through Amazon SES (API v2), one client per process. The endpoint comes from the SDK's own
// variable (AWS_ENDPOINT_URL_SESV2: the sandbox's aws-ses-v2-local), so no code here knows it is local.
//
// Simple content rather than raw MIME: SES builds and encodes the MIME (UTF-8 subjects and bodies), and v2's
// Simple content carries the extra headers a notification needs (Auto-Submitted, In-Reply-To, References).
// A Message-ID of our own is not among them: SES replaces any Message-ID with its own, raw mail included, so
// the id that identifies a mail is the one SES returns, which the notify consumer records with its claim.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { Mailer } from '#shared/domain/mail/notify-requester.ts';

/** The SES configuration set every mail is sent with (infra creates it; unset: none). */
export const SES_CONFIGURATION_SET_ENV = 'SES_CONFIGURATION_SET';

let client: SESv2Client | undefined;

/** The SDK retries throttling and 5xx answers with backoff; what still fails goes back to the queue. */
export const sesClient = (): SESv2Client => (client ??= new SESv2Client({ maxAttempts: 4 }));

export const sesMailer: Mailer = {
  async send(mail) {
    const configurationSet = process.env[SES_CONFIGURATION_SET_ENV];
    const result = await sesClient().send(
      new SendEmailCommand({
        FromEmailAddress: mail.from,
        Destination: { ToAddresses: [mail.to] },
        ReplyToAddresses: [mail.replyTo],
        // VERP: SES forwards a bounce of this mail to its own signed address (inbound-mail.ts believes only those).
        ...(mail.bounceTo ? { FeedbackForwardingEmailAddress: mail.bounceTo } : {}),
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
            Headers: mail.headers.map((header) => ({ Name: header.name, Value: header.value })),
          },
        },
        // The kind shows in the configuration set's event metrics (sends, bounces, complaints per kind).
        EmailTags: [{ Name: 'kind', Value: mail.kind }],
        ...(configurationSet ? { ConfigurationSetName: configurationSet } : {}),
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the mail without a message id');
    return { messageId: result.MessageId };
  },
};
