import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, ApiError, get, setCsrfToken, whenSignedOut } from './api';
import { Link, match, navigate, usePath } from './router';
import { SessionContext, type Session } from './session';
import { SignIn } from './pages/SignIn';
import { Home } from './pages/Home';
import { CommunitiesOverview } from './pages/communities/CommunitiesOverview';
import { CommunityDetails } from './pages/communities/CommunityDetails';
import { InvitationResponse } from './pages/communities/InvitationResponse';
import { Tenancies } from './pages/organizations/Tenancies';
import { SentInvitations } from './pages/organizations/SentInvitations';
import { ReceivedInvitations, ReceivedInvitation } from './pages/organizations/ReceivedInvitations';
import { GovernanceRules } from './pages/organizations/GovernanceRules';
import { Subscriptions } from './pages/organizations/Subscriptions';
import { AcceptedNotifier } from './pages/organizations/AcceptedNotifier';

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);

  useEffect(() => {
    whenSignedOut(() => setSession(null));
    get<Session>('/console/api/session').then(
      (s) => {
        setCsrfToken(s.csrfToken);
        setSession(s);
      },
      (e) => (e instanceof ApiError && e.status === 401 ? setSession(null) : setSession(null)),
    );
  }, []);

  if (session === undefined) return <p role="status">Loading the console…</p>;
  if (session === null)
    return (
      <SignIn
        onSignedIn={(s) => {
          setCsrfToken(s.csrfToken);
          setSession(s);
        }}
      />
    );
  return (
    <SessionContext.Provider value={session}>
      <Shell
        session={session}
        onSignOut={async () => {
          await api('POST', '/console/api/sign-out').catch(() => undefined);
          setCsrfToken('');
          setSession(null);
          navigate('/', true);
        }}
      />
    </SessionContext.Provider>
  );
}

interface Area {
  title: string;
  crumbs: string[];
  page: ReactNode;
}

function route(path: string): Area {
  let p: Record<string, string> | null;
  const communities = ['Data Management', 'Communities'];
  const orgs = ['Governance & Administration', 'Organization Management'];
  if (path === '/') return { title: 'Home', crumbs: [], page: <Home /> };
  if (match('/communities', path)) return { title: 'Communities', crumbs: communities, page: <CommunitiesOverview /> };
  if ((p = match('/communities/:id', path))) return { title: 'Community Details', crumbs: communities, page: <CommunityDetails communityId={p.id} tab="Tenants" /> };
  if ((p = match('/communities/:id/:tab', path)))
    return { title: 'Community Details', crumbs: communities, page: <CommunityDetails communityId={p.id} tab={p.tab} /> };
  if ((p = match('/communities/:id/invitations/:invitationId', path)))
    return { title: 'Community Details', crumbs: communities, page: <CommunityDetails communityId={p.id} tab="invitations" invitationId={p.invitationId} /> };
  if ((p = match('/community-invitations/:id', path)))
    return { title: 'Community invitation', crumbs: communities, page: <InvitationResponse invitationId={p.id} /> };
  if (match('/organizations', path) || match('/organizations/tenancies', path)) return { title: 'Tenancies', crumbs: [...orgs, 'Tenancies'], page: <Tenancies /> };
  if (match('/organizations/sender-invitations', path)) return { title: 'Sent invitations', crumbs: [...orgs, 'Sent invitations'], page: <SentInvitations /> };
  if (match('/organizations/recipient-invitations', path))
    return { title: 'Received invitations', crumbs: [...orgs, 'Received invitations'], page: <ReceivedInvitations /> };
  if ((p = match('/organizations/recipient-invitations/:id', path)))
    return { title: 'Received invitation', crumbs: [...orgs, 'Received invitations'], page: <ReceivedInvitation invitationId={p.id} /> };
  if (match('/organizations/governance-rules', path)) return { title: 'Governance Rules', crumbs: [...orgs, 'Governance Rules'], page: <GovernanceRules /> };
  if (match('/organizations/subscriptions', path)) return { title: 'Subscriptions', crumbs: [...orgs, 'Subscriptions'], page: <Subscriptions /> };
  return { title: 'Not found', crumbs: [], page: <p>There is no console page at this address.</p> };
}

const NAV: { heading: string; sub?: string; links: { to: string; label: string }[] }[] = [
  { heading: 'Data Management', links: [{ to: '/communities', label: 'Communities' }] },
  {
    heading: 'Governance & Administration',
    sub: 'Organization Management',
    links: [
      { to: '/organizations/tenancies', label: 'Tenancies' },
      { to: '/organizations/sender-invitations', label: 'Sent invitations' },
      { to: '/organizations/recipient-invitations', label: 'Received invitations' },
      { to: '/organizations/governance-rules', label: 'Governance Rules' },
      { to: '/organizations/subscriptions', label: 'Subscriptions' },
    ],
  },
];

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const path = usePath();
  const area = route(path);
  useEffect(() => {
    document.title = `${area.title} · ${session.tenant.name} · Tenantry`;
  }, [area.title, session.tenant.name]);
  // A new page takes the focus, so keyboard and screen-reader users start at its content.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else if (!document.querySelector('main')?.contains(document.activeElement)) document.getElementById('main')?.focus();
  }, [area.title]);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Tenantry
        </Link>
        <span className="tenant" aria-label="Current tenant">
          Tenant: <strong>{session.tenant.name}</strong>
        </span>
        <span className="user">{session.user.email}</span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <AcceptedNotifier />
      <div className="body">
        <nav className="left" aria-label="Console navigation">
          {NAV.map((group) => (
            <section key={group.heading}>
              <h2>{group.heading}</h2>
              {group.sub ? <h3>{group.sub}</h3> : null}
              <ul>
                {group.links.map((l) => (
                  <li key={l.to}>
                    <Link to={l.to} aria-current={path.toLowerCase().startsWith(l.to) ? 'page' : undefined}>
                      {l.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </nav>
        <main id="main" tabIndex={-1}>
          {area.crumbs.length ? (
            <p className="crumbs" aria-label="Breadcrumb">
              {area.crumbs.join(' › ')}
            </p>
          ) : null}
          {area.page}
        </main>
      </div>
    </div>
  );
}
