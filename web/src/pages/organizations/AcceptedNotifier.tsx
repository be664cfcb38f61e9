import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { useSession } from '../../session';
import { listPage, OCI, type SenderInvitation } from './model';

/**
 * Tells the sender when a recipient accepts one of its organization invitations: polls the sent
 * invitations and announces each that is ACCEPTED now and was not at the previous poll (or did not
 * exist yet: an invitation can be sent and accepted between two polls).
 */
export function AcceptedNotifier() {
  const { tenant } = useSession();
  const statusAtLastPoll = useRef<Map<string, string> | null>(null);
  const [notes, setNotes] = useState<{ id: string; text: string }[]>([]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const check = async () => {
      try {
        const { items } = await listPage<SenderInvitation>(`${OCI}/senderInvitations`, { compartmentId: tenant.ocid, limit: 100 });
        if (stopped) return;
        const before = statusAtLastPoll.current;
        if (before) {
          const accepted = items.filter((i) => i.status === 'ACCEPTED' && before.get(i.id) !== 'ACCEPTED');
          if (accepted.length)
            setNotes((n) => [
              ...n,
              ...accepted.map((i) => ({ id: i.id, text: `Invitation ${i.displayName ? `“${i.displayName}” ` : ''}accepted by tenancy ${i.recipientTenancyId}.` })),
            ]);
        }
        statusAtLastPoll.current = new Map(items.map((i) => [i.id, i.status]));
      } catch (error) {
        // A user without Organizations permission (404 NotAuthorizedOrNotFound) or without a session
        // (401) gets no notifications; anything else (a 429, a restart) is passing: keep polling.
        if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404)) return;
      }
      if (!stopped) timer = setTimeout(check, 3000);
    };
    check();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tenant.ocid]);
  if (notes.length === 0) return null;
  return (
    <div className="notifications" role="status" aria-live="polite">
      {notes.map((n) => (
        <p key={n.id} className="notice">
          {n.text}{' '}
          <button type="button" className="link" onClick={() => setNotes((all) => all.filter((x) => x.id !== n.id))} aria-label="Dismiss notification">
            Dismiss
          </button>
        </p>
      ))}
    </div>
  );
}
