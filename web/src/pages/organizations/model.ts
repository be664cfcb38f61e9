import { api, query } from '../../api';

// The OCI Organizations wire shapes the console reads (camelCase, as /20230401 sends them).
export const OCI = '/20230401';

export interface Organization {
  id: string;
  displayName?: string;
  compartmentId: string;
  parentName?: string;
  defaultUcmSubscriptionId: string;
  lifecycleState: string;
}

export interface OrganizationTenancy {
  tenancyId: string;
  name?: string;
  lifecycleState?: string;
  role?: 'PARENT' | 'CHILD' | 'NONE';
  timeJoined?: string;
  timeLeft?: string;
  governanceStatus: 'OPTED_IN' | 'OPTED_OUT';
}

export interface SenderInvitation {
  id: string;
  compartmentId: string;
  displayName?: string;
  subjects: string[];
  recipientInvitationId?: string;
  recipientTenancyId: string;
  recipientEmailAddress?: string;
  lifecycleState: string;
  status: string;
  timeCreated: string;
  timeUpdated?: string;
  freeformTags?: Record<string, string>;
}

export interface RecipientInvitation {
  id: string;
  compartmentId: string;
  displayName?: string;
  subjects: string[];
  senderInvitationId: string;
  senderTenancyId: string;
  lifecycleState: string;
  status: string;
  timeCreated: string;
  recipientEmailAddress?: string;
}

export interface WorkRequest {
  id: string;
  operationType: string;
  status: string;
  percentComplete: number;
  timeAccepted: string;
  timeFinished?: string;
}

/** Title-case of an OCI enum value: ACCEPTED → Accepted, IN_PROGRESS → In progress. */
export const words = (value?: string) => (value ? value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ') : '—');

/** One page of an OCI list: its items and the opc-next-page token, if any. */
export async function listPage<T>(path: string, params: Record<string, string | number | undefined>): Promise<{ items: T[]; next?: string }> {
  const res = await api<{ items: T[] }>('GET', `${path}${query(params)}`);
  return { items: res.body.items, next: res.headers.get('opc-next-page') ?? undefined };
}

/** The organization the tenancy belongs to (as parent or child), if any. */
export async function organizationOf(compartmentId: string): Promise<Organization | undefined> {
  const { items } = await listPage<Organization>(`${OCI}/organizations`, { compartmentId });
  return items[0];
}
