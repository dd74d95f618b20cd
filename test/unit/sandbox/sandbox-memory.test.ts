// What keeps the sandbox's memory bounded: `npm start` runs its Node with the heap bound the tests and the bench
// use, and the mail viewer keeps the newest mails only.
import { readFileSync } from 'node:fs';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { SANDBOX_HEAP_MIB, SANDBOX_NODE_ARGS } from '#sandbox/node-args.ts';
import { startLocalSes } from '#sandbox/ses-local.ts';

describe('the sandbox’s memory', () => {
  it('is bounded the same way by npm start, the tests and the bench', () => {
    // Arrange
    const scripts = (
      JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;

    // Assert
    expect(SANDBOX_NODE_ARGS).toContain(`--max-old-space-size=${SANDBOX_HEAP_MIB}`);
    expect(scripts.start).toBe(`exec node ${SANDBOX_NODE_ARGS.join(' ')} sandbox/start.ts`);
  });

  it('keeps the newest mails in the mail viewer and lets older ones go', async () => {
    // Arrange: an emulator that keeps three
    const ses = await startLocalSes(0, 3);
    const client = new SESv2Client({
      endpoint: ses.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const stored = async () =>
      ((await (await fetch(`${ses.viewerUrl}/store`)).json()) as { emails: { subject: string }[] }).emails.map((mail) => mail.subject);
    try {
      // Act
      for (let n = 1; n <= 5; n++)
        await client.send(
          new SendEmailCommand({
            FromEmailAddress: 'helpdesk@sekolah.example',
            Destination: { ToAddresses: ['ani@example.org'] },
            Content: { Simple: { Subject: { Data: `mail ${n}` }, Body: { Text: { Data: 'isi' } } } },
          }),
        );

      // Assert
      await expect.poll(stored, { timeout: 5_000 }).toEqual(['mail 3', 'mail 4', 'mail 5']);
    } finally {
      client.destroy();
      await ses.stop();
    }
  });
});
