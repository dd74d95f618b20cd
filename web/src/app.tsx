// The console's shell: the header (who is signed in, the language switch, the way out), the routes, and
// the screens loaded on demand, so a requester's phone never downloads the agents' workspace.
import type { ComponentType, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { expiredAt, isStaff, type Me, session, signOut } from './auth.ts';
import { Loading, Notice } from './components.tsx';
import { config } from './config.ts';
import { lang, setLanguage, t } from './i18n.ts';
import { location$, match, navigate, onLinkClick } from './router.ts';
import { AuthCallback, SignIn } from './screens/sign-in.tsx';
import { useSignal } from './state.ts';

type Screens = Record<string, ComponentType<{ me: Me; params: Record<string, string> }>>;

/** A screen module loaded on first use and kept. */
const lazy = (load: () => Promise<Screens>) => {
  let loaded: Screens | undefined;
  let loading: Promise<Screens> | undefined;
  return (name: string) =>
    function Lazy(props: { me: Me; params: Record<string, string> }) {
      const [screens, setScreens] = useState(loaded);
      useEffect(() => {
        if (!loaded) void (loading ??= load()).then((module) => setScreens((loaded = module)));
      }, []);
      const Screen = screens?.[name];
      return Screen ? <Screen {...props} /> : <Loading />;
    };
};

const requester = lazy(() => import('./screens/requester.tsx') as Promise<unknown> as Promise<Screens>);
const agent = lazy(() => import('./screens/agent.tsx') as Promise<unknown> as Promise<Screens>);
const track = lazy(() => import('./screens/track.tsx') as Promise<unknown> as Promise<Screens>);
const dashboard = lazy(() => import('./dashboard/dashboard.tsx') as Promise<unknown> as Promise<Screens>);
const admin = lazy(() => import('./admin/admin.tsx') as Promise<unknown> as Promise<Screens>);
const help = lazy(() => import('./screens/help.tsx') as Promise<unknown> as Promise<Screens>);
const macrosScreens = lazy(() => import('./macros/macros.tsx') as Promise<unknown> as Promise<Screens>);
const kb = lazy(() => import('./kb/kb.tsx') as Promise<unknown> as Promise<Screens>);

type Route = { path: string; screen: ReturnType<typeof requester>; staff?: boolean; requester?: boolean };

const ROUTES: Route[] = [
  { path: '/tickets', screen: requester('MyTickets') },
  { path: '/tickets/new', screen: requester('NewRequest') },
  { path: '/tickets/:id', screen: requester('TicketPage') },
  { path: '/queue/:queue', screen: agent('Queue'), staff: true },
  { path: '/phone', screen: agent('PhoneTicket'), staff: true },
  { path: '/search', screen: agent('Search'), staff: true },
  { path: '/agent/tickets/:id', screen: agent('AgentTicket'), staff: true },
  // The knowledge base: every staff member writes it (the API's article:write); `new` before an article's id.
  { path: '/kb', screen: kb('KnowledgeBase'), staff: true },
  { path: '/kb/new', screen: kb('ArticleEditor'), staff: true },
  { path: '/kb/:id', screen: kb('ArticleEditor'), staff: true },
  // Macros: every staff member writes personal ones, leads and admins shared ones; `new` before an id.
  { path: '/macros', screen: macrosScreens('Macros'), staff: true },
  { path: '/macros/new', screen: macrosScreens('MacroEditor'), staff: true },
  { path: '/macros/:id', screen: macrosScreens('MacroEditor'), staff: true },
  // Leads and administrators (issue 17); each screen refuses other roles in words, as the API does.
  { path: '/dashboard', screen: dashboard('Dashboard'), staff: true },
  { path: '/people', screen: admin('People'), staff: true },
  { path: '/organisation', screen: admin('Organisation'), staff: true },
  { path: '/requesters/:id', screen: admin('RequesterRecord'), staff: true },
];

const TrackScreen = track('Track');
const HelpScreen = help('Help');

const home = (me: Me) => (isStaff(me) ? '/queue/team' : '/tickets');

const Header = ({ me }: { me: Me | undefined }) => {
  const language = useSignal(lang);
  const other = language === 'id' ? 'en' : 'id';
  return (
    <header class="top">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <div class="brand">
        <a href={me ? home(me) : '/'} onClick={onLinkClick}>
          {t('app.name')}
        </a>
        <span class="org">{config().organisation.name}</span>
      </div>
      {me && (
        <nav aria-label={t('app.name')}>
          {isStaff(me) ? (
            <>
              <a href="/queue/team" onClick={onLinkClick}>
                {t('nav.queues')}
              </a>
              <a href="/search" onClick={onLinkClick}>
                {t('nav.search')}
              </a>
              <a href="/phone" onClick={onLinkClick}>
                {t('nav.phone')}
              </a>
              <a href="/kb" onClick={onLinkClick}>
                {t('nav.kb')}
              </a>
              <a href="/macros" onClick={onLinkClick}>
                {t('nav.macros')}
              </a>
              {(me.role === 'lead' || me.role === 'admin') && (
                <>
                  <a href="/dashboard" onClick={onLinkClick}>
                    {t('nav.dashboard')}
                  </a>
                  <a href="/people" onClick={onLinkClick}>
                    {t('nav.people')}
                  </a>
                  <a href="/organisation" onClick={onLinkClick}>
                    {t('nav.organisation')}
                  </a>
                </>
              )}
            </>
          ) : (
            <>
              <a href="/tickets" onClick={onLinkClick}>
                {t('nav.myTickets')}
              </a>
              <a href="/help" onClick={onLinkClick}>
                {t('nav.help')}
              </a>
              <a href="/tickets/new" onClick={onLinkClick} class="nav-primary">
                {t('nav.newRequest')}
              </a>
            </>
          )}
        </nav>
      )}
      <div class="tools">
        {config().organisation.languages.includes(other) && (
          <button type="button" class="link-button" lang={other} onClick={() => setLanguage(other)}>
            {other === 'en' ? 'English' : 'Bahasa Indonesia'}
          </button>
        )}
        {me && (
          <>
            <span class="who" title={t('app.signedInAs', { name: me.email ?? me.name })}>
              <span class="visually-hidden">{t('app.signedInAs', { name: '' })}</span>
              {me.name} · {t(`role.${me.role}`)}
            </span>
            <button type="button" class="link-button" onClick={signOut}>
              {t('app.signOut')}
            </button>
          </>
        )}
      </div>
    </header>
  );
};

export const App = () => {
  const path = useSignal(location$);
  const current = useSignal(session);
  useSignal(lang);
  const me = current?.me;

  let content: JSX.Element;
  const tracked = match('/track/:token', path);
  if (tracked) content = <TrackScreen me={me as Me} params={tracked} />;
  else if (match('/auth/callback', path)) content = <AuthCallback />;
  // The answer bot is for anyone, signed in or not.
  else if (match('/help', path)) content = <HelpScreen me={me as Me} params={{}} />;
  else if (!me) content = <SignIn returnTo={expiredAt.get() ?? (path.startsWith('/sign-in') ? '/' : path)} />;
  else if (path === '/' || path.startsWith('/sign-in')) content = <Redirect to={home(me)} />;
  else {
    const found = ROUTES.map((route) => ({ route, params: match(route.path, path) })).find((candidate) => candidate.params);
    // A requester opening a staff path, or staff a requester's ticket page, lands where they belong.
    if (found?.route.staff && !isStaff(me)) content = <NotFound me={me} />;
    else if (found && isStaff(me) && found.route.path === '/tickets/:id') content = <Redirect to={`/agent/tickets/${found.params!.id}`} />;
    else if (found) {
      const Screen = found.route.screen;
      content = <Screen key={path} me={me} params={found.params!} />;
    } else content = <NotFound me={me} />;
  }
  return (
    <>
      <Header me={tracked ? undefined : me} />
      <main id="main">{content}</main>
    </>
  );
};

const Redirect = ({ to }: { to: string }) => {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
};

const NotFound = ({ me }: { me: Me }) => (
  <section class="page narrow">
    <h1>{t('app.notFound')}</h1>
    <p>
      <a href={home(me)} onClick={onLinkClick}>
        {t('app.home')}
      </a>
    </p>
  </section>
);

export const ConfigFailed = () => (
  <main id="main" class="page narrow">
    <Notice kind="error">{t('app.configFailed')}</Notice>
  </main>
);
