import { createContext, useContext } from 'react';

export interface Session {
  user: { id: string; ocid: string; email: string; name: string };
  tenant: { id: string; ocid: string; name: string; homeRegion: string; subscriptionId: string; subscriptionType: string };
  expiresAt: string;
  csrfToken: string;
}

export const SessionContext = createContext<Session | null>(null);

/** The signed-in session; pages inside the shell always have one. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in shell');
  return session;
}
