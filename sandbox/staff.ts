// The sandbox's stand-in for the user pool's side of the staff directory. On AWS, Cognito tells the
// directory who is staff (a first sign-in and the five-minute reconciliation); here the sandbox's user pool
// file (LOCAL_USER_POOL_FILE, under the sandbox directory) plays the pool: the roster is written into it at
// start, people invited from the console land in it, and every staff token the sandbox mints records its
// person the same way a sign-in does. A person disabled there cannot sign in, as in Cognito.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LOCAL_USER_POOL_FILE_ENV, type LocalPoolPerson, readLocalPool, writeLocalPool } from '#shared/adapters/local-user-pool.ts';
import type { LocalPerson } from '#shared/console/console-config.ts';
import { roleOfGroups } from '#shared/domain/access/identity.ts';
import type { PoolPerson, StaffRole } from '#shared/domain/staff/staff.ts';
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

const poolFile = () => {
  const file = process.env[LOCAL_USER_POOL_FILE_ENV];
  if (!file) throw new Error(`${LOCAL_USER_POOL_FILE_ENV} is not set: the sandbox sets it before it loads the roster`);
  return file;
};

/** The console's local sign-in choices: two requesters and the pool's enabled staff (no passwords: the sandbox mints any token). */
export const localPeople = (): LocalPerson[] => [
  { sub: 'ani', name: 'Ani Wijaya', email: 'ani@sekolah.example', role: 'requester', teams: [] },
  { sub: 'joko', name: 'Joko Susilo', email: 'joko.ortu@example.org', role: 'requester', teams: [] },
  ...readLocalPool(poolFile())
    .filter((person) => person.enabled)
    .map((person) => ({
      sub: person.id,
      name: person.name,
      ...(person.email ? { email: person.email } : {}),
      role: person.role,
      teams: person.teams,
    })),
];

/**
 * Writes the roster's people into the sandbox's user pool (those it does not hold yet: what was changed
 * from the console is kept across restarts, as Cognito keeps it), then the pool into the staff directory.
 * Returns how many people the pool holds.
 */
export const seedRoster = async (): Promise<number> => {
  const people = readLocalPool(poolFile());
  for (const person of readRoster().people)
    if (!people.some((known) => known.id === person.sub))
      people.push({
        id: person.sub,
        name: person.name,
        email: person.email,
        role: roleOfGroups(person.groups) as StaffRole,
        teams: person.teams,
        enabled: true,
      });
  writeLocalPool(poolFile(), people);
  for (const person of people) await syncPoolPerson(staffDeps(), person);
  return people.length;
};

type TokenPerson = Parameters<typeof poolPersonOf>[0];

/** Cognito refuses a disabled account's sign-in; so does the sandbox's token route. */
export class DisabledPersonError extends Error {
  constructor(readonly id: string) {
    super(`${id} is disabled in the sandbox's user pool`);
    this.name = 'DisabledPersonError';
  }
}

/**
 * A staff token is about to be minted, as if the person signed in: the pool knows their teams, so a request
 * that names none gets the ones the pool has (as Cognito's token carries `custom:teams`); the person is in
 * the pool and the directory from now on, as after a sign-in. Returns the request to sign.
 */
export const signInStaff = async <T extends TokenPerson>(request: T): Promise<T> => {
  const people = readLocalPool(poolFile());
  const known = people.find((person) => person.id === request.sub);
  if (known && !known.enabled) throw new DisabledPersonError(request.sub);
  const role = roleOfGroups(request.groups);
  if (role === 'requester') return request;
  // Someone only the directory knows (signed in before the sandbox had its pool file) keeps its teams.
  const teams = request.teams ?? known?.teams ?? (await staffDeps().staff.get(request.sub))?.teams;
  const signed = teams ? { ...request, teams } : request;
  const entry: LocalPoolPerson = {
    id: request.sub,
    name: request.name ?? known?.name ?? request.sub,
    email: request.email ?? known?.email,
    role,
    teams: signed.teams ?? [],
    enabled: true,
  };
  writeLocalPool(poolFile(), known ? people.map((person) => (person.id === entry.id ? entry : person)) : [...people, entry]);
  await syncPoolPerson(staffDeps(), poolPersonOf(signed));
  return signed;
};
