import { useState } from 'react';
import { useSession } from '../../session';
import { ErrorText, formatTime, Loading, Pager, useLoad } from '../../ui';
import { InviteTenancy } from './InviteTenancy';
import { listPage, OCI, organizationOf, words, type OrganizationTenancy } from './model';

const PAGE = 20;

export function Tenancies() {
  const { tenant } = useSession();
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const [inviting, setInviting] = useState(false);
  const list = useLoad(async () => {
    const org = await organizationOf(tenant.ocid);
    if (!org) return { org, items: [] as OrganizationTenancy[], next: undefined };
    const result = await listPage<OrganizationTenancy>(`${OCI}/organizations/${encodeURIComponent(org.id)}/tenancies`, { limit: PAGE, page: pages[page] });
    return { org, ...result };
  }, [page, tenant.ocid]);
  const goTo = (p: number) => {
    if (p > page && list.data?.next) setPages((all) => [...all.slice(0, p), list.data!.next]);
    setPage(p);
  };
  const isChild = list.data?.org && list.data.org.compartmentId !== tenant.ocid;
  return (
    <>
      <h1>Tenancies</h1>
      {list.data?.org ? (
        <p className="muted">
          Organization of <strong>{list.data.org.parentName}</strong>
          {isChild ? ': your tenancy is a child of it.' : ': your tenancy is its parent.'}
        </p>
      ) : null}
      {list.data && !isChild ? (
        <div className="toolbar">
          <button type="button" className="primary" aria-expanded={inviting} onClick={() => setInviting(true)}>
            Invite tenancy
          </button>
        </div>
      ) : null}
      {inviting ? <InviteTenancy onClose={() => setInviting(false)} onSent={list.reload} /> : null}
      <ErrorText error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="tenancies" />
      ) : !list.data?.org ? (
        <p>Your tenancy is not in an organization yet. Invite a tenancy: when it accepts, your tenancy becomes the parent of a new organization.</p>
      ) : (
        <table>
          <caption className="sr-only">Tenancies of the organization</caption>
          <thead>
            <tr>
              <th scope="col">Tenancy name</th>
              <th scope="col">Tenancy OCID</th>
              <th scope="col">Status</th>
              <th scope="col">Organization governance</th>
              <th scope="col">Join Date</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((t) => (
              <tr key={t.tenancyId}>
                <td>
                  {t.name ?? '—'}
                  {t.role === 'PARENT' ? ' (parent)' : ''}
                  {t.tenancyId === tenant.ocid ? ' (this tenancy)' : ''}
                </td>
                <td>
                  <code>{t.tenancyId}</code>
                </td>
                <td>{words(t.lifecycleState)}</td>
                <td>{t.governanceStatus === 'OPTED_IN' ? 'Joined' : 'Not joined'}</td>
                <td>{formatTime(t.timeJoined)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Tenancies" page={page} hasNext={Boolean(list.data?.next)} onPage={goTo} />
    </>
  );
}
