// A running sandbox leaves a note in its data directory (its API URL, its SQS endpoint and process id), so
// that tools such as `npm run seed` and `npm run redrive` find it whatever port it was started on; the note
// goes when it stops.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type RunningSandbox = { apiUrl: string; sqsEndpoint: string; pid: number };

const noteOf = (dir: string) => join(dir, 'running.json');

export const recordRunningSandbox = (dir: string, apiUrl: string, sqsEndpoint: string): (() => void) => {
  writeFileSync(noteOf(dir), `${JSON.stringify({ apiUrl, sqsEndpoint, pid: process.pid } satisfies RunningSandbox)}\n`);
  return () => rmSync(noteOf(dir), { force: true });
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The sandbox running from `dir`, if its note is there and its process still is (a crash leaves a stale note). */
export const readRunningSandbox = (dir: string): RunningSandbox | undefined => {
  if (!existsSync(noteOf(dir))) return undefined;
  try {
    const note = JSON.parse(readFileSync(noteOf(dir), 'utf8')) as RunningSandbox;
    return typeof note.apiUrl === 'string' && Number.isInteger(note.pid) && alive(note.pid) ? note : undefined;
  } catch {
    return undefined;
  }
};
