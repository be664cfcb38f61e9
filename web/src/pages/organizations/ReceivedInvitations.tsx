import { useState } from 'react';
import { api, get } from '../../api';
import { Link } from '../../router';
import { useSession } from '../../session';
import { ErrorText, formatTime, Loading, Pager, useAction, useLoad } from '../../ui';
import { WorkRequestProgress } from './WorkRequestProgress';
import { listPage, OCI, words, type RecipientInvitation } from './model';

export function ReceivedInvitations() {
  const { tenant } = useSession();
  const [status, setStatus] = useState('');
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const list = useLoad(
    () => listPage<RecipientInvitation>(`${OCI}/recipientInvitations`, { compartmentId: tenant.ocid, status: status || undefined, page: pages[page] }),
    [page, status, tenant.ocid],
  );
  const goTo = (p: number) => {
    if (p > page && list.data?.next) setPages((all) => [...all.slice(0, p), list.data!.next]);
    setPage(p);
  };
  return (
    <>
      <h1>Received invitations</h1>
      <div className="toolbar">
        <label className="field inline">
          <span>Status</span>
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              setPages([undefined]);
              setPage(0);
            }}
          >
            {['', 'PENDING', 'ACCEPTED', 'IGNORED', 'CANCELED', 'EXPIRED'].map((s) => (
              <option key={s} value={s}>
                {s ? words(s) : 'All'}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="received invitations" />
      ) : list.data?.items.length === 0 ? (
        <p>No invitation{status ? ` with status ${words(status)}` : ''}.</p>
      ) : (
        <table>
          <caption className="sr-only">Received invitations</caption>
          <thead>
            <tr>
              <th scope="col">Invitation name</th>
              <th scope="col">Sender tenancy OCID</th>
              <th scope="col">Status</th>
              <th scope="col">Received</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((i) => (
              <tr key={i.id}>
                <td>
                  <Link to={`/organizations/recipient-invitations/${encodeURIComponent(i.id)}`}>{i.displayName || i.id}</Link>
                </td>
                <td>
                  <code>{i.senderTenancyId}</code>
                </td>
                <td>{statusLabel(i)}</td>
                <td>{formatTime(i.timeCreated)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Received invitations" page={page} hasNext={Boolean(list.data?.next)} onPage={goTo} />
    </>
  );
}

/** The console shows an unanswered received invitation as "Active". */
const statusLabel = (i: RecipientInvitation) => (i.status === 'PENDING' ? 'Active' : words(i.status));

export function ReceivedInvitation({ invitationId }: { invitationId: string }) {
  const { tenant } = useSession();
  const url = `${OCI}/recipientInvitations/${encodeURIComponent(invitationId)}`;
  const invitation = useLoad(() => get<RecipientInvitation>(url), [url]);
  const action = useAction();
  const [accepting, setAccepting] = useState<string | null>(null);
  const [done, setDone] = useState('');
  if (invitation.error && !invitation.data) return <ErrorText error={invitation.error} />;
  const i = invitation.data;
  if (!i) return <Loading what="the invitation" />;
  const accept = () =>
    action.run(async () => {
      const res = await api('POST', `${url}/actions/accept`);
      setAccepting(res.headers.get('opc-work-request-id') ?? '');
    });
  const decline = () =>
    action.run(async () => {
      await api('POST', `${url}/actions/ignore`);
      setDone('You declined the invitation.');
      invitation.reload();
    });
  return (
    <>
      <h1>Invitation {i.displayName ? `“${i.displayName}”` : ''}</h1>
      <dl className="facts">
        <dt>Sender tenancy OCID</dt>
        <dd>
          <code>{i.senderTenancyId}</code>
        </dd>
        <dt>Joins organization governance</dt>
        <dd>{i.subjects.includes('GOVERNANCE') ? 'Yes: the organization’s governance rules will apply to your tenancy' : 'No'}</dd>
        <dt>Status</dt>
        <dd data-testid="received-status">{statusLabel(i)}</dd>
        <dt>Received</dt>
        <dd>{formatTime(i.timeCreated)}</dd>
        <dt>Invitation id</dt>
        <dd>
          <code>{i.id}</code>
        </dd>
      </dl>
      {i.status === 'PENDING' && accepting === null ? (
        <>
          <div className="warning" role="note">
            Your tenancy <strong>{tenant.name}</strong> becomes a child of the sender’s organization: its usage is charged to the organization’s subscription.
          </div>
          <div className="actions">
            <button type="button" className="primary" disabled={action.busy} onClick={accept}>
              Accept
            </button>
            <button type="button" disabled={action.busy} onClick={decline}>
              Decline
            </button>
          </div>
        </>
      ) : null}
      <ErrorText error={action.error} />
      {accepting ? (
        <WorkRequestProgress
          id={accepting}
          label="Accepting the invitation"
          onFinished={(wr) => {
            setDone(wr.status === 'SUCCEEDED' ? 'Accepted: your tenancy is now part of the organization.' : `Accepting ${words(wr.status).toLowerCase()}.`);
            invitation.reload();
          }}
        />
      ) : null}
      {done ? (
        <p role="status" className="notice">
          {done}
        </p>
      ) : null}
      <p>
        <Link to="/organizations/tenancies">Tenancies</Link> · <Link to="/organizations/recipient-invitations">Received invitations</Link>
      </p>
    </>
  );
}
