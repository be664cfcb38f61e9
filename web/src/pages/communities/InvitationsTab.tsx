import { useState } from 'react';
import { api, get, query } from '../../api';
import { navigate } from '../../router';
import { ErrorText, formatTime, Loading, Pager, Pane, useAction, useLoad } from '../../ui';
import { OCS, PAGE_SIZE, STATE_LABELS, type Community, type Invitation } from './model';

export function InvitationsTab({ community, isOwner, invitationId }: { community: Community; isOwner: boolean; invitationId?: string }) {
  const [page, setPage] = useState(0);
  const base = `${OCS}/Communities/${community.Id}/Invitations`;
  const list = useLoad(() => get<Invitation[]>(`${base}${query({ skip: page * PAGE_SIZE, count: PAGE_SIZE + 1 })}`), [page, community.Id]);
  const rows = list.data?.slice(0, PAGE_SIZE) ?? [];
  return (
    <div className={invitationId ? 'with-pane' : undefined}>
      <div>
        <ErrorText error={list.error} />
        {list.loading && !list.data ? (
          <Loading what="invitations" />
        ) : rows.length === 0 ? (
          <p>No invitation has been sent for this community.</p>
        ) : (
          <table>
            <caption className="sr-only">Invitations of the community</caption>
            <thead>
              <tr>
                <th scope="col">Recipient</th>
                <th scope="col">Status</th>
                <th scope="col">Accepted by tenant</th>
                <th scope="col">Issued</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((i) => (
                <tr key={i.Id} aria-selected={i.Id === invitationId}>
                  <td>
                    <button type="button" className="link" onClick={() => navigate(`/communities/${community.Id}/invitations/${i.Id}`)}>
                      {i.InvitationRecipient}
                    </button>
                  </td>
                  <td>{STATE_LABELS[i.State]}</td>
                  <td>{i.AcceptedTenantName ?? '—'}</td>
                  <td>{formatTime(i.Issued)}</td>
                  <td>{formatTime(i.Expires)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager label="Invitations" page={page} hasNext={(list.data?.length ?? 0) > PAGE_SIZE} onPage={setPage} />
      </div>
      {invitationId ? (
        <InvitationDetails
          key={invitationId}
          community={community}
          invitationId={invitationId}
          isOwner={isOwner}
          onChanged={list.reload}
          onClose={() => navigate(`/communities/${community.Id}/invitations`)}
        />
      ) : null}
    </div>
  );
}

function InvitationDetails(props: { community: Community; invitationId: string; isOwner: boolean; onChanged: () => void; onClose: () => void }) {
  const { community, invitationId, isOwner, onChanged, onClose } = props;
  const url = `${OCS}/Communities/${community.Id}/Invitations/${invitationId}`;
  const invitation = useLoad(() => get<Invitation>(url), [url]);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [done, setDone] = useState('');
  const action = useAction();
  const act = async (what: string, work: () => Promise<unknown>) => {
    setDone('');
    if (await action.run(work)) {
      setDone(what);
      setConfirming(false);
      invitation.reload();
      onChanged();
    }
  };
  const i = invitation.data;
  return (
    <Pane title="Invitation Details" onClose={onClose}>
      <ErrorText error={invitation.error} />
      {!i ? (
        invitation.error ? null : <Loading what="the invitation" />
      ) : (
        <>
          <dl className="facts">
            <dt>Recipient</dt>
            <dd>{i.InvitationRecipient}</dd>
            <dt>Status</dt>
            <dd data-testid="invitation-status">{STATE_LABELS[i.State]}</dd>
            <dt>Issued</dt>
            <dd>{formatTime(i.Issued)}</dd>
            <dt>Expires</dt>
            <dd>{formatTime(i.Expires)}</dd>
            <dt>Accepted</dt>
            <dd>{formatTime(i.Accepted)}</dd>
            <dt>Accepting tenant</dt>
            <dd>{i.AcceptedTenantName ?? '—'}</dd>
            <dt>Accepted by user</dt>
            <dd>{i.AcceptedUserEmail ?? '—'}</dd>
            <dt>Invitation id</dt>
            <dd>
              <code>{i.Id}</code>
            </dd>
          </dl>
          {done ? (
            <p role="status" className="notice">
              {done}
            </p>
          ) : null}
          {isOwner ? (
            <div className="actions">
              {i.State === 'InvitationAccepted' && !confirming ? (
                <button type="button" className="primary" onClick={() => setConfirming(true)}>
                  Confirm Tenant
                </button>
              ) : null}
              {(i.State === 'InvitationCreated' || i.State === 'InvitationExpired') && (
                <button type="button" disabled={action.busy} onClick={() => act('Invitation sent again.', () => api('PUT', `${OCS}/CommunityInvitations/${i.Id}`, { Action: 'Resend' }))}>
                  Resend
                </button>
              )}
              {!deleting ? (
                <button type="button" className="danger" onClick={() => setDeleting(true)}>
                  Delete
                </button>
              ) : null}
            </div>
          ) : null}
          {confirming ? (
            <div className="card" role="alertdialog" aria-label="Confirm Tenant">
              <p>
                Review that the expected tenant is joining: <strong>{i.AcceptedTenantName}</strong>, accepted by {i.AcceptedUserEmail}. Once confirmed, it joins{' '}
                <strong>{community.Name}</strong> and sees what the community shares.
              </p>
              <button
                type="button"
                className="primary"
                disabled={action.busy}
                onClick={() => act('Tenant confirmed: it is now a member of the community.', () => api('PUT', `${OCS}/CommunityInvitations/${i.Id}`, { Action: 'Confirm' }))}
              >
                Confirm Tenant
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          ) : null}
          {deleting ? (
            <div className="card" role="alertdialog" aria-label="Delete invitation">
              <p>Delete this invitation? Its link stops working.</p>
              <button
                type="button"
                className="danger"
                disabled={action.busy}
                onClick={async () => {
                  if (await action.run(() => api('DELETE', url))) {
                    onChanged();
                    onClose();
                  }
                }}
              >
                Delete invitation
              </button>
              <button type="button" onClick={() => setDeleting(false)}>
                Cancel
              </button>
            </div>
          ) : null}
          <ErrorText error={action.error} />
        </>
      )}
    </Pane>
  );
}
