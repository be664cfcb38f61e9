import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api';
import { useSession } from '../../session';
import { listPage, OCI, type SenderInvitation } from './model';

/**
 * Tells the sender when a recipient accepts one of its organization invitations: polls the
 * pending sent invitations and announces those that became ACCEPTED.
 */
export function AcceptedNotifier() {
  const { tenant } = useSession();
  const pending = useRef<Map<string, SenderInvitation> | null>(null);
  const [notes, setNotes] = useState<{ id: string; text: string }[]>([]);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const check = async () => {
      try {
        const { items } = await listPage<SenderInvitation>(`${OCI}/senderInvitations`, { compartmentId: tenant.ocid, limit: 100 });
        if (stopped) return;
        const before = pending.current;
        if (before) {
          const accepted = items.filter((i) => i.status === 'ACCEPTED' && before.has(i.id));
          if (accepted.length)
            setNotes((n) => [
              ...n,
              ...accepted.map((i) => ({ id: i.id, text: `Invitation ${i.displayName ? `“${i.displayName}” ` : ''}accepted by tenancy ${i.recipientTenancyId}.` })),
            ]);
        }
        pending.current = new Map(items.filter((i) => i.status === 'PENDING').map((i) => [i.id, i]));
      } catch (error) {
        // A tenancy without Organizations permission gets no notifications; nothing else to tell.
        if (error instanceof ApiError && error.status >= 400 && error.status < 500) return;
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
