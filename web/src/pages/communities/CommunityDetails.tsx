import { useState, type FormEvent } from 'react';
import { api, get, query } from '../../api';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { ErrorText, Field, Loading, Tabs, useAction, useLoad } from '../../ui';
import { InvitationsTab } from './InvitationsTab';
import { SharedStreamsTab } from './SharedStreamsTab';
import { OCS, PAGE_SIZE, SHARING_LABELS, type Community, type CommunityTenant } from './model';
import { Pager } from '../../ui';

const TABS = ['Tenants', 'Invitations', 'Community users', 'Shared streams'] as const;
type Tab = (typeof TABS)[number];
const SLUGS: Record<Tab, string> = { Tenants: 'tenants', Invitations: 'invitations', 'Community users': 'users', 'Shared streams': 'streams' };

export function CommunityDetails({ communityId, tab, invitationId }: { communityId: string; tab: string; invitationId?: string }) {
  const active: Tab = TABS.find((t) => SLUGS[t] === tab.toLowerCase() || t === tab) ?? 'Tenants';
  // Read again on every tab change: a confirmation on the Invitations tab adds a tenant.
  const community = useLoad(() => get<Community>(`${OCS}/Communities/${communityId}`), [communityId, active]);
  const { tenant } = useSession();
  if (community.error && !community.data) return <ErrorText error={community.error} />;
  if (!community.data) return <Loading what="the community" />;
  const c = community.data;
  const mine = c.Tenants.find((t) => t.Id === tenant.id);
  const isOwner = mine?.IsOwner ?? false;
  return (
    <>
      <h1>Community Details</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{c.DisplayName || c.Name}</dd>
        {c.DisplayName && c.DisplayName !== c.Name ? (
          <>
            <dt>Community name</dt>
            <dd>{c.Name}</dd>
          </>
        ) : null}
        <dt>Description</dt>
        <dd>{c.Description || '—'}</dd>
        <dt>Your tenant</dt>
        <dd>{isOwner ? 'Administrative tenant (owner)' : 'Member'}</dd>
      </dl>
      <Tabs label="Community sections" tabs={TABS} active={active} onChange={(t) => navigate(`/communities/${communityId}/${SLUGS[t]}`)} />
      <section role="tabpanel" aria-label={active}>
        {active === 'Tenants' ? <TenantsTab community={c} isOwner={isOwner} reload={community.reload} /> : null}
        {active === 'Invitations' ? <InvitationsTab community={c} isOwner={isOwner} invitationId={invitationId} /> : null}
        {active === 'Community users' ? <UsersTab community={c} /> : null}
        {active === 'Shared streams' ? <SharedStreamsTab community={c} /> : null}
      </section>
    </>
  );
}

function TenantsTab({ community, isOwner, reload }: { community: Community; isOwner: boolean; reload: () => void }) {
  const { tenant } = useSession();
  const [inviting, setInviting] = useState(false);
  const [sentTo, setSentTo] = useState('');
  const row = useAction();
  const [removing, setRemoving] = useState<CommunityTenant | null>(null);
  const base = `${OCS}/Communities/${community.Id}/Tenants`;
  return (
    <>
      <div className="toolbar">
        {isOwner ? (
          <button type="button" className="primary" aria-expanded={inviting} onClick={() => setInviting((v) => !v)}>
            Invite Tenant
          </button>
        ) : null}
      </div>
      {inviting ? (
        <InviteTenant
          communityId={community.Id}
          onSent={(email) => {
            setSentTo(email);
            setInviting(false);
          }}
        />
      ) : null}
      {sentTo ? (
        <p role="status" className="notice">
          Invitation sent to {sentTo}. Follow it on the Invitations tab.
        </p>
      ) : null}
      <table>
        <caption className="sr-only">Tenants of the community</caption>
        <thead>
          <tr>
            <th scope="col">Tenant</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Contact email</th>
            <th scope="col">Users</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {community.Tenants.map((t) => (
            <tr key={t.Id}>
              <td>
                {t.Name}
                {t.Id === tenant.id ? ' (your tenant)' : ''}
              </td>
              <td>{t.IsOwner ? 'Owner' : 'Member'}</td>
              <td>{SHARING_LABELS[t.Status] ?? t.Status}</td>
              <td>{t.ContactEmail ?? '—'}</td>
              <td>{t.UserCount}</td>
              <td>
                {t.Id === tenant.id ? (
                  <button
                    type="button"
                    disabled={row.busy}
                    onClick={() => row.run(() => api('PUT', `${base}/${t.Id}`, { Status: t.Status === 'Paused' ? 'Active' : 'Paused' })).then((ok) => ok && reload())}
                  >
                    {t.Status === 'Paused' ? 'Resume sharing' : 'Pause sharing'}
                  </button>
                ) : null}
                {isOwner && !t.IsOwner ? (
                  <button type="button" className="danger" onClick={() => setRemoving(t)}>
                    Remove tenant
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorText error={row.error} />
      {removing ? (
        <div className="card" role="alertdialog" aria-label="Remove tenant">
          <p>
            Remove <strong>{removing.Name}</strong> from the community? Its sharing stops at once; it can be invited again later, but everything must be shared again.
          </p>
          <button
            type="button"
            className="danger"
            disabled={row.busy}
            onClick={() => row.run(() => api('DELETE', `${base}/${removing.Id}`)).then((ok) => ok && (setRemoving(null), reload()))}
          >
            Remove
          </button>
          <button type="button" onClick={() => setRemoving(null)}>
            Cancel
          </button>
        </div>
      ) : null}
      <OwnSettings community={community} reload={reload} />
    </>
  );
}

function InviteTenant({ communityId, onSent }: { communityId: string; onSent: (email: string) => void }) {
  const [email, setEmail] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => api('POST', `${OCS}/Communities/${communityId}/Invitations`, { InvitationRecipient: email.trim() }))) onSent(email.trim());
  };
  return (
    <form className="card" aria-label="Invite Tenant" onSubmit={submit}>
      <p className="muted">The invitation goes by email. Whoever accepts it chooses the tenant that joins; you confirm that tenant before it joins.</p>
      <Field label="Email">
        <input type="email" required maxLength={320} value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={action.error ? true : undefined} />
      </Field>
      <ErrorText error={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        Send
      </button>
    </form>
  );
}

function OwnSettings({ community, reload }: { community: Community; reload: () => void }) {
  const { tenant } = useSession();
  const mine = community.Tenants.find((t) => t.Id === tenant.id);
  const [alias, setAlias] = useState(mine?.CommunityAlias ?? '');
  const [contact, setContact] = useState(mine?.ContactEmail ?? '');
  const action = useAction();
  const [saved, setSaved] = useState(false);
  if (!mine) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const ok = await action.run(() =>
      api('PUT', `${OCS}/Communities/${community.Id}/Tenants/${tenant.id}`, { CommunityAlias: alias, ...(contact ? { ContactEmail: contact } : {}) }),
    );
    if (ok) {
      setSaved(true);
      reload();
    }
  };
  return (
    <form className="card" aria-label="Your tenant's settings" onSubmit={submit}>
      <h2>Your tenant's settings</h2>
      <Field label="Community alias" hint="Only your tenant sees the community under this name.">
        <input maxLength={200} value={alias} onChange={(e) => setAlias(e.target.value)} />
      </Field>
      <Field label="Contact email">
        <input type="email" maxLength={320} value={contact} onChange={(e) => setContact(e.target.value)} />
      </Field>
      <ErrorText error={action.error} />
      {saved ? <p role="status">Saved.</p> : null}
      <button type="submit" disabled={action.busy}>
        Save
      </button>
    </form>
  );
}

interface CommunityUser {
  Id: string;
  Name?: string;
  Email?: string;
  RoleIds: string[];
}

function UsersTab({ community }: { community: Community }) {
  const { tenant, user } = useSession();
  const [page, setPage] = useState(0);
  const base = `${OCS}/Communities/${community.Id}/Tenants/${tenant.id}/Users`;
  const users = useLoad(() => get<CommunityUser[]>(`${base}${query({ skip: page * PAGE_SIZE, count: PAGE_SIZE + 1 })}`), [page]);
  const [userId, setUserId] = useState('');
  const action = useAction();
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await action.run(() => api('PUT', `${base}/${userId.trim()}`, [community.MemberRoleId]))) {
      setUserId('');
      users.reload();
    }
  };
  const rows = users.data?.slice(0, PAGE_SIZE) ?? [];
  return (
    <>
      <p className="muted">Users of your tenant who hold the community member role and so read what the community shares.</p>
      <ErrorText error={users.error} />
      {users.loading && !users.data ? (
        <Loading what="community users" />
      ) : rows.length === 0 ? (
        <p>No user of your tenant is a community user yet.</p>
      ) : (
        <table>
          <caption className="sr-only">Community users of your tenant</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => (
              <tr key={u.Id}>
                <td>{u.Name}</td>
                <td>{u.Email}</td>
                <td>
                  <button type="button" className="danger" onClick={() => action.run(() => api('DELETE', `${base}/${u.Id}`)).then((ok) => ok && users.reload())}>
                    Remove user
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Community users" page={page} hasNext={(users.data?.length ?? 0) > PAGE_SIZE} onPage={setPage} />
      <form className="card" onSubmit={add} aria-label="Add a community user">
        <Field label="User id" hint={`Your own user id is ${user.id}.`}>
          <input required maxLength={100} value={userId} onChange={(e) => setUserId(e.target.value)} />
        </Field>
        <ErrorText error={action.error} />
        <button type="submit" disabled={action.busy}>
          Add user
        </button>
      </form>
    </>
  );
}
