// People: the desk's staff with role, teams and whether they take tickets. An administrator invites someone
// by address, changes role and teams, disables and re-enables accounts, and reads each person's history of
// changes; a lead takes the people of their teams out of routing and back. Every change is audited by the API.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Person } from '#shared/domain/people/people.ts';
import type { StaffRecord } from '#shared/domain/staff/staff.ts';
import { request } from '../api.ts';
import type { Me } from '../auth.ts';
import { describedBy, Field, Heading, Loading, Notice } from '../components.tsx';
import { config } from '../config.ts';
import { dateTime, nameOf } from '../format.ts';
import { t } from '../i18n.ts';
import { useResource, useSender } from '../load.ts';
import { AdminError, isLeadOrAdmin, NotForYou } from './common.tsx';
import { ta, taKey } from './texts.ts';

type Role = Person['role'];
const ROLES: Role[] = ['agent', 'lead', 'admin'];
type Card = Omit<Person, 'email' | 'updatedAt'> & { email?: string };

const teamNames = (teams: readonly string[]) => (teams.length ? teams.map((team) => nameOf('teams', team)).join(', ') : ta('people.none'));

export const People = ({ me }: { me: Me }) => (isLeadOrAdmin(me) ? <PeopleScreen me={me} /> : <NotForYou />);

const PeopleScreen = ({ me }: { me: Me }) => {
  const admin = me.role === 'admin';
  // Administrators see everyone with their address; leads see the staff cards the directory shows every lead.
  const people = useResource(async () => (await request<{ items: Card[] }>(admin ? '/admin/people' : '/staff')).data.items, [admin]);
  const [editing, setEditing] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const availability = useSender(async (person: Card) =>
    request<Card>(`/staff/${encodeURIComponent(person.id)}/availability`, { method: 'PUT', body: { available: !person.available } }),
  );

  const toggle = async (person: Card) => {
    setDone(undefined);
    const reply = await availability.run(person);
    if (reply) void people.reload();
  };
  // A lead sets the availability of the people of their teams (and their own); the API says so too.
  const mayToggle = (person: Card) => admin || person.id === me.id || person.teams.some((team) => me.teams.includes(team));
  const chosen = people.data?.find((person) => person.id === editing);

  return (
    <section class="page">
      <Heading>{ta('people.title')}</Heading>
      <p>{admin ? ta('people.intro') : ta('people.leadIntro')}</p>
      {admin && (
        <InvitePerson
          onInvited={(person) => {
            setDone(ta('people.invited', { name: person.name, role: t(`role.${person.role}`) }));
            void people.reload();
          }}
        />
      )}
      {done && <Notice kind="success">{done}</Notice>}
      <AdminError error={people.error ?? availability.error} retry={() => void people.reload()} />
      {people.loading && !people.data && <Loading />}
      {people.data && (
        <table class="queue people">
          <caption>{ta('people.list')}</caption>
          <thead>
            <tr>
              <th scope="col">{ta('people.name')}</th>
              <th scope="col">{ta('people.role')}</th>
              <th scope="col">{ta('people.teams')}</th>
              <th scope="col">{ta('people.available')}</th>
              <th scope="col">{ta('people.account')}</th>
            </tr>
          </thead>
          <tbody>
            {people.data.map((person) => (
              <tr key={person.id} class={person.active ? '' : 'inactive'}>
                <th scope="row">
                  {admin ? (
                    <button
                      type="button"
                      class="link-button"
                      onClick={() => setEditing(person.id)}
                      aria-label={ta('people.edit', { name: person.name })}
                    >
                      {person.name}
                    </button>
                  ) : (
                    person.name
                  )}
                  {person.email && <span class="help block">{person.email}</span>}
                </th>
                <td>{t(`role.${person.role}`)}</td>
                <td>{teamNames(person.teams)}</td>
                <td>
                  {person.active && mayToggle(person) ? (
                    <button
                      type="button"
                      class={`toggle ${person.available ? 'toggle-on' : 'toggle-off'}`}
                      // The name starts with what the button shows (Ya / Tidak), then says what pressing it does.
                      aria-label={ta(person.available ? 'people.takeOut' : 'people.putBack', {
                        name: person.name,
                        state: person.available ? ta('people.yes') : ta('people.no'),
                      })}
                      disabled={availability.busy}
                      onClick={() => void toggle(person)}
                    >
                      {person.available ? ta('people.yes') : ta('people.no')}
                    </button>
                  ) : (
                    <span>{person.available ? ta('people.yes') : ta('people.no')}</span>
                  )}
                </td>
                <td>
                  <span class={`badge ${person.active ? 'status-open' : 'status-closed'}`}>
                    {person.active ? ta('people.active') : ta('people.disabled')}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {admin && chosen && (
        <EditPerson
          key={chosen.id}
          person={chosen}
          onSaved={(message) => {
            setDone(message);
            void people.reload();
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </section>
  );
};

const TeamChecks = ({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string[];
  onChange: (teams: string[]) => void;
  error?: string | undefined;
}) => (
  <fieldset class={`field${error ? ' field-invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
    <legend>{ta('people.teams')}</legend>
    <div class="checks">
      {config().teams.map((team) => (
        <label key={team.id} class="check">
          <input
            type="checkbox"
            checked={value.includes(team.id)}
            onChange={(event) => onChange(event.currentTarget.checked ? [...value, team.id] : value.filter((one) => one !== team.id))}
          />
          {nameOf('teams', team.id)}
        </label>
      ))}
    </div>
    {error && (
      <p class="field-error" id={`${id}-error`}>
        {error}
      </p>
    )}
  </fieldset>
);

const RoleSelect = ({ id, value, onChange }: { id: string; value: Role; onChange: (role: Role) => void }) => (
  <Field id={id} label={ta('people.role')}>
    <select id={id} value={value} onChange={(event) => onChange(event.currentTarget.value as Role)}>
      {ROLES.map((role) => (
        <option key={role} value={role}>
          {t(`role.${role}`)}
        </option>
      ))}
    </select>
  </Field>
);

/** The first field error the API named under `path` (teams.1 belongs to teams). */
const fieldError = (fields: Record<string, string> | undefined, path: string) =>
  Object.entries(fields ?? {}).find(([name]) => name === path || name.startsWith(`${path}.`))?.[1];

const InvitePerson = ({ onInvited }: { onInvited: (person: Person) => void }) => {
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [teams, setTeams] = useState<string[]>([]);
  const sender = useSender(
    async () =>
      (await request<Person>('/admin/people', { method: 'POST', body: { email: email.trim(), name: name.trim(), role, teams } })).data,
  );
  const fields = sender.error?.fields;
  const submit = async (event: Event) => {
    event.preventDefault();
    const person = await sender.run();
    if (!person) return;
    setEmail('');
    setName('');
    setTeams([]);
    onInvited(person);
  };
  return (
    <form class="card person-form" onSubmit={submit} aria-labelledby="invite-title">
      <h2 id="invite-title">{ta('people.invite')}</h2>
      <p class="help">{ta('people.inviteHelp')}</p>
      <AdminError error={sender.error} />
      <Field id="invite-email" label={ta('people.email')} error={fieldError(fields, 'email')}>
        <input
          id="invite-email"
          type="email"
          required
          autoComplete="off"
          value={email}
          aria-invalid={fieldError(fields, 'email') ? true : undefined}
          aria-describedby={describedBy('invite-email', undefined, fieldError(fields, 'email'))}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
      </Field>
      <Field id="invite-name" label={ta('people.name')} error={fieldError(fields, 'name')}>
        <input id="invite-name" type="text" required value={name} onInput={(event) => setName(event.currentTarget.value)} />
      </Field>
      <RoleSelect id="invite-role" value={role} onChange={setRole} />
      <TeamChecks id="invite-teams" value={teams} onChange={setTeams} error={fieldError(fields, 'teams')} />
      <button type="submit" class="primary" disabled={sender.busy}>
        {ta('people.send')}
      </button>
    </form>
  );
};

const recordLine = (record: StaffRecord) => {
  const yesNo = (value: boolean) => ta(value ? 'people.yes' : 'people.no');
  switch (record.type) {
    case 'StaffInvited':
      return ta('people.record.StaffInvited', { role: t(`role.${record.data.role}`), teams: teamNames(record.data.teams) });
    case 'RoleChanged':
      return ta('people.record.RoleChanged', { from: t(`role.${record.data.from}`), to: t(`role.${record.data.to}`) });
    case 'TeamsChanged':
      return ta('people.record.TeamsChanged', { from: teamNames(record.data.from), to: teamNames(record.data.to) });
    case 'AvailabilityChanged':
      return ta('people.record.AvailabilityChanged', { from: yesNo(record.data.from), to: yesNo(record.data.to) });
    default:
      return taKey(`people.record.${record.type}`);
  }
};

const EditPerson = ({ person, onSaved, onClose }: { person: Card; onSaved: (message: string) => void; onClose: () => void }) => {
  const [role, setRole] = useState<Role>(person.role);
  const [teams, setTeams] = useState<string[]>(person.teams);
  // The form opens under the list: focus (and so the view) moves to it, for the mouse and the keyboard alike.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const history = useResource(
    async () => (await request<{ items: StaffRecord[] }>(`/admin/people/${encodeURIComponent(person.id)}/history`)).data.items,
    [person.id],
  );
  const sender = useSender(
    async (change: { role?: Role; teams?: string[]; enabled?: boolean }) =>
      (await request<Person>(`/admin/people/${encodeURIComponent(person.id)}`, { method: 'PATCH', body: change })).data,
  );
  const changed = async (change: { role?: Role; teams?: string[]; enabled?: boolean }) => {
    if (await sender.run(change)) {
      onSaved(ta('people.saved', { name: person.name }));
      void history.reload();
    }
  };
  const save = (event: Event) => {
    event.preventDefault();
    void changed({ role, teams });
  };
  const switchAccount = () => {
    if (person.active && !window.confirm(ta('people.confirmDisable', { name: person.name }))) return;
    void changed({ enabled: !person.active });
  };
  return (
    <section class="card edit-person" aria-labelledby="edit-title">
      <div class="page-head">
        <h2 id="edit-title" tabIndex={-1} ref={heading}>
          {ta('people.editTitle', { name: person.name })}
        </h2>
        <button type="button" class="link-button" onClick={onClose}>
          {ta('people.close')}
        </button>
      </div>
      <AdminError error={sender.error} />
      <form class="person-form" onSubmit={save}>
        <RoleSelect id="edit-role" value={role} onChange={setRole} />
        <TeamChecks id="edit-teams" value={teams} onChange={setTeams} error={fieldError(sender.error?.fields, 'teams')} />
        <div class="actions">
          <button type="submit" class="primary" disabled={sender.busy}>
            {ta('people.save')}
          </button>
          <button type="button" class="secondary" disabled={sender.busy} onClick={switchAccount}>
            {person.active ? ta('people.disable') : ta('people.enable')}
          </button>
        </div>
      </form>
      <h3>{ta('people.history')}</h3>
      <AdminError error={history.error} />
      {history.data?.length === 0 && <p class="empty">{ta('people.noHistory')}</p>}
      {history.data && history.data.length > 0 && (
        <ol class="audit">
          {history.data.map((record) => (
            <li key={record.id}>
              {recordLine(record)} <span class="help">{ta('people.recordBy', { when: dateTime(record.at), who: record.actor.id })}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
};
