// The OCS wire shapes the console reads (PascalCase, as the API sends them).

export interface CommunityTenant {
  Id: string;
  Name: string;
  Status: 'None' | 'Active' | 'Paused';
  IsOwner: boolean;
  UserCount: number;
  ClientCount: number;
  PreferredRegionId?: string | null;
  ContactEmail?: string | null;
  CommunityAlias?: string | null;
}

export interface Community {
  Id: string;
  Name: string;
  DisplayName: string;
  Description?: string | null;
  MemberRoleId: string;
  DateCreated: string;
  Tenants: CommunityTenant[];
}

export type InvitationState = 'None' | 'InvitationCreated' | 'InvitationAccepted' | 'InvitationDeclined' | 'InvitationExpired' | 'InvitationCompleted';

export interface Invitation {
  Id: string;
  Issued: string;
  Expires: string;
  Accepted?: string | null;
  State: InvitationState;
  IssuingTenantId: string;
  InvitedTenantId?: string | null;
  CommunityId: string;
  CommunityName: string;
  InvitationRecipient: string;
  AcceptedUserEmail?: string | null;
  AcceptedTenantName?: string | null;
}

/** The labels the OCS console shows for each invitation state. */
export const STATE_LABELS: Record<InvitationState, string> = {
  None: '—',
  InvitationCreated: 'Invitation Pending',
  InvitationAccepted: 'Invitation Accepted',
  InvitationDeclined: 'Invitation Declined',
  InvitationExpired: 'Invitation Expired',
  InvitationCompleted: 'Confirmed',
};

export const SHARING_LABELS: Record<string, string> = { Active: 'Sharing Active', Paused: 'Sharing Paused', None: '—' };

export const OCS = '/api/v1-preview';
export const PAGE_SIZE = 20;
