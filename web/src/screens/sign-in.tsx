// Signing in: Cognito's managed sign-in page (AWS), or the sandbox's local page where one picks a person,
// a role and teams. Either way the person comes back to the page they were on, drafts intact.
import { useEffect, useState } from 'preact/hooks';
import type { Role } from '#shared/domain/access/identity.ts';
import { completeCognitoSignIn, expiredAt, signInLocally, startCognitoSignIn } from '../auth.ts';
import { Heading, Loading, Notice } from '../components.tsx';
import { config } from '../config.ts';
import { nameOf } from '../format.ts';
import { t } from '../i18n.ts';
import { navigate, onLinkClick } from '../router.ts';
import { useSignal } from '../state.ts';

const ROLES: Role[] = ['requester', 'agent', 'lead', 'admin'];

const after = (returnTo: string) => {
  expiredAt.set(undefined);
  navigate(returnTo || '/', { replace: true });
};

export const SignIn = ({ returnTo }: { returnTo: string }) => {
  const expired = useSignal(expiredAt);
  const signIn = config().signIn;
  return (
    <section class="page narrow">
      <Heading>{t('signIn.title')}</Heading>
      {expired && <Notice kind="warning">{t('signIn.expired')}</Notice>}
      {signIn.mode === 'cognito' ? (
        <>
          <p>{t('signIn.cognitoHelp')}</p>
          <button type="button" class="primary big" onClick={() => void startCognitoSignIn(returnTo)}>
            {t('signIn.cognito')}
          </button>
        </>
      ) : (
        <LocalSignIn returnTo={returnTo} />
      )}
      <p>
        <a href="/help" onClick={onLinkClick}>
          {t('signIn.askBot')}
        </a>
      </p>
    </section>
  );
};

const LocalSignIn = ({ returnTo }: { returnTo: string }) => {
  const signIn = config().signIn;
  const people = signIn.mode === 'local' ? signIn.people : [];
  const [sub, setSub] = useState(people[0]?.sub ?? '');
  const person = people.find((candidate) => candidate.sub === sub);
  const [role, setRole] = useState<Role>(person?.role ?? 'requester');
  const [teams, setTeams] = useState<string[]>(person?.teams ?? []);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);

  const choose = (next: string) => {
    const chosen = people.find((candidate) => candidate.sub === next);
    setSub(next);
    if (chosen) {
      setRole(chosen.role);
      setTeams(chosen.teams);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!person) return;
    setBusy(true);
    setFailed(false);
    try {
      await signInLocally({ sub: person.sub, name: person.name, ...(person.email ? { email: person.email } : {}), role, teams });
      after(returnTo);
    } catch {
      setFailed(true);
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} class="card">
      <h2>{t('signIn.localTitle')}</h2>
      <p class="help">{t('signIn.localHelp')}</p>
      {failed && <Notice kind="error">{t('error.network')}</Notice>}
      <div class="field">
        <label for="person">{t('signIn.person')}</label>
        <select id="person" value={sub} onChange={(event) => choose(event.currentTarget.value)}>
          {people.map((candidate) => (
            <option key={candidate.sub} value={candidate.sub}>
              {candidate.name} ({t(`role.${candidate.role}`)}
              {candidate.teams.length > 0 ? ` · ${candidate.teams.map((team) => nameOf('teams', team)).join(', ')}` : ''})
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="role">{t('signIn.role')}</label>
        <select id="role" value={role} onChange={(event) => setRole(event.currentTarget.value as Role)}>
          {ROLES.map((candidate) => (
            <option key={candidate} value={candidate}>
              {t(`role.${candidate}`)}
            </option>
          ))}
        </select>
      </div>
      {role !== 'requester' && (
        <fieldset class="field">
          <legend>{t('signIn.teams')}</legend>
          <div class="checks">
            {config().teams.map((team) => (
              <label key={team.id} class="check">
                <input
                  type="checkbox"
                  checked={teams.includes(team.id)}
                  onChange={(event) =>
                    setTeams(event.currentTarget.checked ? [...teams, team.id] : teams.filter((candidate) => candidate !== team.id))
                  }
                />
                {nameOf('teams', team.id)}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <button type="submit" class="primary big" disabled={busy}>
        {busy ? t('signIn.working') : t('signIn.submit')}
      </button>
    </form>
  );
};

/** `/auth/callback?code=&state=`: Cognito sent the browser back; finish the exchange and go on. */
export const AuthCallback = () => {
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    completeCognitoSignIn(window.location.search).then(after, (error: unknown) => setProblem((error as Error).message));
  }, []);
  return (
    <section class="page narrow">
      {problem ? (
        <>
          <Notice kind="error">{t('signIn.callbackFailed', { reason: problem })}</Notice>
          <SignIn returnTo="/" />
        </>
      ) : (
        <Loading />
      )}
    </section>
  );
};
