// The SES emulator's store: every mail a sandbox has sent (`GET <endpoint>/store`), as the tests read it.
import { waitFor } from './wait-for.ts';

export type SentMail = {
  from: string;
  subject: string;
  destination: { to: string[] };
  replyTo: string[];
  body: { text?: string; html?: string };
  headers?: { name: string; value: string }[];
};

/** Every mail the sandbox whose SES emulator listens at `sesEndpoint` has sent, oldest first. */
export const sentMails = async (sesEndpoint: string): Promise<SentMail[]> =>
  ((await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: SentMail[] }).emails;

/** The first sent mail that `matches`, once there is one. */
export const waitForMail = async (sesEndpoint: string, matches: (mail: SentMail) => boolean, timeoutMs?: number): Promise<SentMail> =>
  (
    await waitFor(
      () => sentMails(sesEndpoint),
      (mails) => mails.some(matches),
      timeoutMs,
    )
  ).find(matches)!;

/** A header of a sent mail, by name (whatever its case). */
export const headerOf = (mail: SentMail, name: string) =>
  mail.headers?.find((header) => header.name.toLowerCase() === name.toLowerCase())?.value;
