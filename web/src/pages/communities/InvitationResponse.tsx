import { useState } from 'react';
import { api, get } from '../../api';
import { Link } from '../../router';
import { useSession } from '../../session';
import { ErrorText, Field, Loading, useAction, useLoad } from '../../ui';
import { OCS, STATE_LABELS, type InvitationState } from './model';

interface Details {
  CommunityName: string;
  CommunityId: string;
  InvitationState: InvitationState;
  ContactEmail?: string | null;
  TenantAlreadyMemberOfCommunity?: boolean;
}

/** The invitee's page, reached from the invitation email's link. */
export function InvitationResponse({ invitationId }: { invitationId: string }) {
  const { tenant, user } = useSession();
  const details = useLoad(() => get<Details>(`${OCS}/CommunityInvitations/${invitationId}/Details`), [invitationId]);
  const [contact, setContact] = useState(user.email);
  const action = useAction();
  const respond = async (Action: 'Accept' | 'Decline') => {
    if (await action.run(() => api('PUT', `${OCS}/CommunityInvitations/${invitationId}`, Action === 'Accept' ? { Action, ContactEmail: contact } : { Action }))) details.reload();
  };
  if (details.error && !details.data) return <ErrorText error={details.error} />;
  const d = details.data;
  if (!d) return <Loading what="the invitation" />;
  return (
    <>
      <h1>Invitation to join {d.CommunityName}</h1>
      <dl className="facts">
        <dt>Community</dt>
        <dd>{d.CommunityName}</dd>
        <dt>Contact email</dt>
        <dd>{d.ContactEmail ?? '—'}</dd>
        <dt>Status</dt>
        <dd data-testid="invitation-state">{STATE_LABELS[d.InvitationState]}</dd>
      </dl>
      {d.InvitationState === 'InvitationCreated' ? (
        d.TenantAlreadyMemberOfCommunity ? (
          <p className="notice">
            Your tenant <strong>{tenant.name}</strong> is already a member of this community.
          </p>
        ) : (
          <>
            <div className="warning" role="note">
              You will join as the tenant <strong>{tenant.name}</strong>. Check that this is the right tenant: the tenant that accepts is the one that joins. If not, sign
              out and sign in to the right tenant before you accept.
            </div>
            <Field label="Contact email" hint="Community partners reach your tenant at this address.">
              <input type="email" maxLength={320} value={contact} onChange={(e) => setContact(e.target.value)} />
            </Field>
            <ErrorText error={action.error} />
            <div className="actions">
              <button type="button" className="primary" disabled={action.busy} onClick={() => respond('Accept')}>
                Accept
              </button>
              <button type="button" disabled={action.busy} onClick={() => respond('Decline')}>
                Decline
              </button>
            </div>
          </>
        )
      ) : null}
      {d.InvitationState === 'InvitationAccepted' ? (
        <p role="status" className="notice">
          Accepted: awaiting confirmation. The community's administrative tenant confirms your tenant before it joins; you will get an email.
        </p>
      ) : null}
      {d.InvitationState === 'InvitationDeclined' ? <p role="status">You declined this invitation.</p> : null}
      {d.InvitationState === 'InvitationExpired' ? <p role="status">This invitation has expired: ask the community for a new one.</p> : null}
      {d.InvitationState === 'InvitationCompleted' ? (
        <p role="status">
          Your tenant is a member of the community. <Link to={`/communities/${d.CommunityId}`}>Open the community</Link>
        </p>
      ) : null}
    </>
  );
}
