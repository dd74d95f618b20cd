// The sandbox's stand-in for the user pool's side of the staff directory. On AWS, Cognito tells the
// directory who is staff (a sign-in trigger and the hourly reconciliation); here the roster file plays the
// invited staff, and every staff token the sandbox mints records its person the same way a sign-in does.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { LocalPerson } from '#shared/console/console-config.ts';
import { roleOfGroups } from '#shared/domain/access/identity.ts';
import type { PoolPerson } from '#shared/domain/staff/staff.ts';
import { syncPoolPerson } from '#shared/domain/staff/staff-services.ts';
import { staffDeps } from '#shared/wiring/staff-deps.ts';

const rosterSchema = z.object({
  people: z.array(
    z.strictObject({
      sub: z.string().min(1),
      name: z.string().min(1),
      email: z.email(),
      groups: z.array(z.string()),
      teams: z.array(z.string()),
    }),
  ),
});

const ROSTER_FILE = new URL('./staff-roster.json', import.meta.url);

/** What a token request (or a roster line) says of a person, as the user pool would say it. */
export const poolPersonOf = (person: {
  sub: string;
  name?: string | undefined;
  email?: string | undefined;
  groups: string[];
  teams?: string[] | undefined;
}): PoolPerson => ({
  id: person.sub,
  name: person.name,
  email: person.email,
  role: roleOfGroups(person.groups),
  teams: person.teams ?? [],
  enabled: true,
});

const readRoster = () => rosterSchema.parse(JSON.parse(readFileSync(ROSTER_FILE, 'utf8')));

/** The console's local sign-in choices: the roster's staff, two requesters (no passwords: the sandbox mints any token). */
export const localPeople = (): LocalPerson[] => [
  { sub: 'ani', name: 'Ani Wijaya', email: 'ani@sekolah.example', role: 'requester', teams: [] },
  { sub: 'joko', name: 'Joko Susilo', email: 'joko.ortu@example.org', role: 'requester', teams: [] },
  ...readRoster().people.map((person) => ({
    sub: person.sub,
    name: person.name,
    email: person.email,
    role: roleOfGroups(person.groups),
    teams: person.teams,
  })),
];

/** Loads the roster into the directory; returns how many people it holds. */
export const seedRoster = async (): Promise<number> => {
  const roster = readRoster();
  for (const person of roster.people) await syncPoolPerson(staffDeps(), poolPersonOf(person));
  return roster.people.length;
};

type TokenPerson = Parameters<typeof poolPersonOf>[0];

/**
 * A staff token is about to be minted, as if the person signed in: the pool knows their teams, so a request
 * that names none gets the ones the directory has (as Cognito's token carries `custom:teams`), and the
 * person is in the directory from now on, as after a sign-in. Returns the request to sign.
 */
export const signInStaff = async <T extends TokenPerson>(request: T): Promise<T> => {
  if (roleOfGroups(request.groups) === 'requester') return request;
  const known = request.teams === undefined ? await staffDeps().staff.get(request.sub) : undefined;
  const signed = known ? { ...request, teams: known.teams } : request;
  await syncPoolPerson(staffDeps(), poolPersonOf(signed));
  return signed;
};
