// The sandbox's user pool: a JSON file under the sandbox directory standing in for Cognito, so that a person
// invited from the local console can sign in on its local page and work. The sandbox writes its roster into
// it at start and records every staff token it mints (sandbox/staff.ts); the People screen's changes land
// here through the same port as on AWS (people.ts `UserPoolAdmin`). One process writes it (the sandbox's).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Invitation, UserPoolAdmin } from '#shared/domain/people/people.ts';
import type { StaffRole } from '#shared/domain/staff/staff.ts';

/** Where the sandbox keeps its user pool (set by the sandbox; never in AWS). */
export const LOCAL_USER_POOL_FILE_ENV = 'LOCAL_USER_POOL_FILE';

export type LocalPoolPerson = { id: string; name: string; email?: string | undefined; role: StaffRole; teams: string[]; enabled: boolean };

export const readLocalPool = (file: string): LocalPoolPerson[] =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { people: LocalPoolPerson[] }).people : [];

/** Written whole, through a temporary file: a crash never leaves half a pool. */
export const writeLocalPool = (file: string, people: readonly LocalPoolPerson[]): void => {
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ people }, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
};

/** An id a person can read in the sandbox (`rudi-hartono` from rudi.hartono@…), unique in the pool. */
const idFor = (email: string, taken: ReadonlySet<string>): string => {
  const base =
    email
      .split('@')[0]!
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'person';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
};

export const createLocalPoolAdmin = (file: string): UserPoolAdmin => {
  const change = (id: string, update: (person: LocalPoolPerson) => LocalPoolPerson) => {
    const people = readLocalPool(file);
    const index = people.findIndex((person) => person.id === id);
    if (index < 0) throw new Error(`the sandbox's user pool has no person ${id}`);
    people[index] = update(people[index]!);
    writeLocalPool(file, people);
  };
  return {
    async invite(invitation: Invitation) {
      const people = readLocalPool(file);
      const address = invitation.email.trim().toLowerCase();
      if (people.some((person) => person.email?.toLowerCase() === address)) return 'email-in-use';
      const id = idFor(address, new Set(people.map((person) => person.id)));
      writeLocalPool(file, [
        ...people,
        { id, name: invitation.name, email: invitation.email, role: invitation.role, teams: invitation.teams, enabled: true },
      ]);
      return { id };
    },
    async setRole(id, _from, to) {
      change(id, (person) => ({ ...person, role: to }));
    },
    async setTeams(id, teams) {
      change(id, (person) => ({ ...person, teams: [...teams] }));
    },
    async setEnabled(id, enabled) {
      change(id, (person) => ({ ...person, enabled }));
    },
  };
};
