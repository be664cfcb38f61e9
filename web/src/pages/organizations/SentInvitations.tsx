import { useState } from 'react';
import { api } from '../../api';
import { useSession } from '../../session';
import { ErrorText, formatTime, Loading, Pager, useAction, useLoad, usePoll } from '../../ui';
import { WorkRequestProgress } from './WorkRequestProgress';
import { listPage, OCI, words, type SenderInvitation } from './model';

const PAGE = 20;
const STATUSES = ['', 'PENDING', 'ACCEPTED', 'CANCELED', 'EXPIRED', 'FAILED'];

export function SentInvitations() {
  const { tenant } = useSession();
  const [status, setStatus] = useState('');
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState(0);
  const list = useLoad(
    () => listPage<SenderInvitation>(`${OCI}/senderInvitations`, { compartmentId: tenant.ocid, status: status || undefined, limit: PAGE, page: pages[page] }),
    [page, status, tenant.ocid],
  );
  // While an invitation waits for its recipient, its status is read again every few seconds.
  usePoll(list.reload, 3000, Boolean(list.data?.items.some((i) => i.status === 'PENDING')));
  const [canceling, setCanceling] = useState<{ id: string; wr: string } | null>(null);
  const action = useAction();
  const goTo = (p: number) => {
    if (p > page && list.data?.next) setPages((all) => [...all.slice(0, p), list.data!.next]);
    setPage(p);
  };
  const cancel = (i: SenderInvitation) =>
    action.run(async () => {
      const res = await api('POST', `${OCI}/senderInvitations/${encodeURIComponent(i.id)}/actions/cancel`);
      setCanceling({ id: i.id, wr: res.headers.get('opc-work-request-id') ?? '' });
    });
  return (
    <>
      <h1>Sent invitations</h1>
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
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s ? words(s) : 'All'}
              </option>
            ))}
          </select>
        </label>
      </div>
      {canceling?.wr ? <WorkRequestProgress id={canceling.wr} label="Revoking the invitation" onFinished={list.reload} /> : null}
      <ErrorText error={list.error ?? action.error} />
      {list.loading && !list.data ? (
        <Loading what="sent invitations" />
      ) : list.data?.items.length === 0 ? (
        <p>No invitation{status ? ` with status ${words(status)}` : ''}.</p>
      ) : (
        <table>
          <caption className="sr-only">Sent invitations</caption>
          <thead>
            <tr>
              <th scope="col">Invitation name</th>
              <th scope="col">Recipient tenancy OCID</th>
              <th scope="col">Recipient email</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((i) => (
              <tr key={i.id}>
                <td>{i.displayName || '—'}</td>
                <td>
                  <code>{i.recipientTenancyId}</code>
                </td>
                <td>{i.recipientEmailAddress ?? '—'}</td>
                <td data-testid="sent-status">{words(i.status)}</td>
                <td>{formatTime(i.timeCreated)}</td>
                <td>
                  {i.status === 'PENDING' ? (
                    <button type="button" className="danger" disabled={action.busy} onClick={() => cancel(i)}>
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Sent invitations" page={page} hasNext={Boolean(list.data?.next)} onPage={goTo} />
    </>
  );
}
