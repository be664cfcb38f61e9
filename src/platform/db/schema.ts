

/** Times are UTC epoch milliseconds on both engines (BIGINT in PostgreSQL, INTEGER in SQLite). */
type Millis = number;
/** JSON is stored as text on both engines; repos encode and decode it. */
type JsonText = string;

export interface TenantsTable {
  id: string;
  ocid: string;
  name: string;
  realm: string;
  home_region: string;
  subscription_type: string;
  subscription_id: string;
  created_at: Millis;
}

export interface SubscriptionsTable {
  id: string;
  tenant_id: string;
  display_name: string;
  created_at: Millis;
}

export interface UsersTable {
  id: string;
  ocid: string;
  tenant_id: string;
  email: string;
  name: string;
  password_hash: string | null;
  created_at: Millis;
}

export interface RolesTable {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  role_scope: number;
  role_type_id: string | null;
  community_id: string | null;
  created_at: Millis;
}

export interface RoleAssignmentsTable {
  role_id: string;
  /** A user id or a client id (both GUIDs). */
  principal_id: string;
  tenant_id: string;
}

export interface GroupsTable {
  id: string;
  tenant_id: string;
  name: string;
  created_at: Millis;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
  tenant_id: string;
}

export interface PoliciesTable {
  id: string;
  tenant_id: string;
  name: string;
  statements: JsonText;
  created_at: Millis;
}

export interface ClientsTable {
  id: string;
  tenant_id: string;
  name: string;
  secret_hash: string;
  enabled: number;
  access_token_lifetime: number;
  created_at: Millis;
}

export interface AccessTokensTable {
  token_hash: string;
  tenant_id: string;
  user_id: string | null;
  client_id: string | null;
  expires_at: Millis;
  created_at: Millis;
}

export interface ApiKeysTable {
  key_id: string;
  tenant_id: string;
  user_id: string;
  fingerprint: string;
  public_key: string;
  created_at: Millis;
}

export interface NamespacesTable {
  tenant_id: string;
  id: string;
  created_at: Millis;
}

export interface RateCardsTable {
  subscription_id: string;
  items: JsonText;
  updated_at: Millis;
}

export interface UsageRecordsTable {
  id: string;
  tenant_id: string;
  tenancy_ocid: string;
  service: string;
  resource: string;
  quantity: number;
  unit: string;
  time: Millis;
  created_at: Millis;
}

export interface AuditEventsTable {
  id: string;
  time: Millis;
  tenant_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_tenant_id: string | null;
  action: string;
  resource_type: string;
  resource_id: string;
  before: JsonText | null;
  after: JsonText | null;
}

export interface OutboxJobsTable {
  id: string;
  type: string;
  payload: JsonText;
  status: string;
  attempts: number;
  run_at: Millis;
  locked_by: string | null;
  locked_until: Millis | null;
  last_error: string | null;
  created_at: Millis;
  finished_at: Millis | null;
}

export interface MailDeliveriesTable {
  job_id: string;
  message_id: string;
  recipient: string;
  delivered_at: Millis;
}

export interface CommunitiesTable {
  id: string;
  owner_tenant_id: string;
  name: string;
  name_key: string;
  description: string | null;
  preferred_region_id: string | null;
  member_role_id: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface CommunityTenantsTable {
  community_id: string;
  tenant_id: string;
  is_owner: number;
  status: string;
  preferred_region_id: string | null;
  contact_email: string | null;
  community_alias: string | null;
  access_control: JsonText | null;
  owner_trustee: JsonText | null;
  joined_at: Millis;
  updated_at: Millis;
}

export interface CommunityInvitationsTable {
  id: string;
  community_id: string;
  issuing_tenant_id: string;
  recipient: string;
  inviter_email: string | null;
  state: string;
  issued_at: Millis;
  expires_at: Millis;
  accepted_at: Millis | null;
  invited_tenant_id: string | null;
  accepted_user_email: string | null;
  accepted_tenant_name: string | null;
  accepted_by: string | null;
  contact_email: string | null;
  created_at: Millis;
  updated_at: Millis;
  deleted_at: Millis | null;
}

// Organizations (OCI /20230401): see migrations/2026-11-22T02-organizations.ts
export interface OrgSenderInvitationsTable {
  id: string;
  tenant_id: string;
  compartment_id: string;
  recipient_tenant_id: string;
  recipient_tenancy_id: string;
  recipient_invitation_id: string | null;
  recipient_email: string | null;
  display_name: string;
  subjects: JsonText;
  features: JsonText;
  freeform_tags: JsonText;
  defined_tags: JsonText;
  lifecycle_state: string;
  status: string;
  expires_at: Millis;
  version: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface OrgRecipientInvitationsTable {
  id: string;
  tenant_id: string;
  compartment_id: string;
  sender_invitation_id: string;
  sender_tenant_id: string;
  sender_tenancy_id: string;
  recipient_email: string | null;
  display_name: string;
  subjects: JsonText;
  features: JsonText;
  freeform_tags: JsonText;
  defined_tags: JsonText;
  lifecycle_state: string;
  status: string;
  expires_at: Millis;
  version: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface OrgOrganizationsTable {
  id: string;
  tenant_id: string;
  compartment_id: string;
  display_name: string;
  default_subscription_id: string;
  lifecycle_state: string;
  version: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface OrgTenanciesTable {
  id: string;
  organization_id: string;
  tenant_id: string;
  tenancy_id: string;
  role: string;
  origin: string;
  lifecycle_state: string;
  governance_status: string;
  approved_for_transfer: number;
  restored: number;
  version: number;
  joined_at: Millis;
  left_at: Millis | null;
  updated_at: Millis;
}

export interface OrgLinksTable {
  id: string;
  organization_id: string;
  parent_tenant_id: string;
  parent_tenancy_id: string;
  child_tenant_id: string;
  child_tenancy_id: string;
  feature: string;
  lifecycle_state: string;
  version: number;
  created_at: Millis;
  updated_at: Millis;
  terminated_at: Millis | null;
}

export interface OrgSubscriptionMappingsTable {
  id: string;
  organization_id: string;
  owner_tenant_id: string;
  tenant_id: string;
  compartment_id: string;
  subscription_id: string;
  is_explicit: number;
  lifecycle_state: string;
  version: number;
  created_at: Millis;
  updated_at: Millis;
  terminated_at: Millis | null;
}

export interface OrgWorkRequestsTable {
  id: string;
  tenant_id: string;
  compartment_id: string;
  operation_type: string;
  status: string;
  resources: JsonText;
  payload: JsonText;
  percent_complete: number;
  errors: JsonText;
  logs: JsonText;
  accepted_at: Millis;
  started_at: Millis | null;
  finished_at: Millis | null;
}

export interface OrgRetryTokensTable {
  tenant_id: string;
  token: string;
  request_hash: string;
  response: JsonText;
  created_at: Millis;
}

export interface SdsTypesTable {
  tenant_id: string;
  namespace_id: string;
  id: string;
  /** The normalized SdsType as JSON. */
  definition: JsonText;
  created_at: Millis;
}

export interface SdsStreamsTable {
  tenant_id: string;
  namespace_id: string;
  id: string;
  type_id: string;
  name: string;
  description: string;
  /** The stream's AccessControlList as JSON. */
  acl: JsonText;
  created_at: Millis;
}

export interface SdsEventsTable {
  tenant_id: string;
  namespace_id: string;
  stream_id: string;
  /** Order-preserving encoding of the event's index value (see modules/streams/sds-types.ts). */
  key: string;
  event: JsonText;
}

export interface SdsStreamSharesTable {
  community_id: string;
  tenant_id: string;
  namespace_id: string;
  stream_id: string;
  shared_at: Millis;
}

/** Web console sessions: the SHA-256 of the session id, never the id itself. */
export interface ConsoleSessionsTable {
  id_hash: string;
  tenant_id: string;
  user_id: string;
  created_at: Millis;
  expires_at: Millis;
}

export interface CommunityCollectionAclsTable {
  tenant_id: string;
  acl: JsonText;
  updated_at: Millis;
}

/** Governance rules of a parent tenancy (OCI Governance Rules API); template is the JSON wire template. */
export interface GovRulesTable {
  id: string;
  tenant_id: string;
  compartment_id: string;
  display_name: string;
  description: string | null;
  type: string;
  creation_option: string;
  template: JsonText;
  related_resource_id: string | null;
  freeform_tags: JsonText;
  defined_tags: JsonText;
  lifecycle_state: string;
  version: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface GovInclusionCriteriaTable {
  id: string;
  tenant_id: string;
  governance_rule_id: string;
  type: string;
  target: string;
  lifecycle_state: string;
  version: number;
  created_at: Millis;
  updated_at: Millis;
}

export interface GovTenancyAttachmentsTable {
  id: string;
  tenant_id: string;
  compartment_id: string;
  governance_rule_id: string;
  organization_id: string;
  child_tenant_id: string;
  tenancy_id: string;
  enforced_rule_id: string;
  lifecycle_state: string;
  version: number;
  created_at: Millis;
  updated_at: Millis;
  last_attempted_at: Millis | null;
}

export interface GovInvitationRulesTable {
  sender_invitation_id: string;
  governance_rule_id: string;
  tenant_id: string;
  created_at: Millis;
}

export interface RegionSubscriptionsTable {
  tenant_id: string;
  region: string;
  created_at: Millis;
}

export interface ResourceUsageTable {
  tenant_id: string;
  service: string;
  limit_name: string;
  region: string;
  used: number;
  updated_at: Millis;
}

export interface RateCardVersionsTable {
  subscription_id: string;
  effective_from: Millis;
  items: JsonText;
}

export interface GovWorkRequestsTable {
  id: string;
  tenant_id: string;
  compartment_id: string;
  operation_type: string;
  status: string;
  resources: JsonText;
  payload: JsonText;
  percent_complete: number;
  errors: JsonText;
  logs: JsonText;
  accepted_at: Millis;
  started_at: Millis | null;
  finished_at: Millis | null;
}

export interface DB {
  tenants: TenantsTable;
  subscriptions: SubscriptionsTable;
  users: UsersTable;
  roles: RolesTable;
  role_assignments: RoleAssignmentsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  policies: PoliciesTable;
  clients: ClientsTable;
  access_tokens: AccessTokensTable;
  api_keys: ApiKeysTable;
  namespaces: NamespacesTable;
  rate_cards: RateCardsTable;
  usage_records: UsageRecordsTable;
  audit_events: AuditEventsTable;
  outbox_jobs: OutboxJobsTable;
  mail_deliveries: MailDeliveriesTable;
  sds_types: SdsTypesTable;
  sds_streams: SdsStreamsTable;
  sds_events: SdsEventsTable;
  sds_stream_shares: SdsStreamSharesTable;
  org_sender_invitations: OrgSenderInvitationsTable;
  org_recipient_invitations: OrgRecipientInvitationsTable;
  org_organizations: OrgOrganizationsTable;
  org_tenancies: OrgTenanciesTable;
  org_links: OrgLinksTable;
  org_subscription_mappings: OrgSubscriptionMappingsTable;
  org_work_requests: OrgWorkRequestsTable;
  org_retry_tokens: OrgRetryTokensTable;
  communities: CommunitiesTable;
  community_tenants: CommunityTenantsTable;
  community_invitations: CommunityInvitationsTable;
  community_collection_acls: CommunityCollectionAclsTable;
  console_sessions: ConsoleSessionsTable;
  gov_rules: GovRulesTable;
  gov_inclusion_criteria: GovInclusionCriteriaTable;
  gov_tenancy_attachments: GovTenancyAttachmentsTable;
  gov_invitation_rules: GovInvitationRulesTable;
  gov_work_requests: GovWorkRequestsTable;
  region_subscriptions: RegionSubscriptionsTable;
  rate_card_versions: RateCardVersionsTable;
  resource_usage: ResourceUsageTable;
}

