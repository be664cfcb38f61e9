import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createTestApp, operator, type SeededTenant, type TestApp } from './app.js';
import { act, invite, ocs, seedClient, seedTenant, seedUser, type Actor } from './communities.js';
import { governanceParty, join, type Party } from './governance.js';
import { ociSigner } from './routes.js';

/**
 * A tenancy with resources of every kind the APIs serve, made through the APIs themselves: users,
 * a client, a group and a policy; a namespace with a type and a stream with events; a community with
 * a member tenant, a shared stream and a pending invitation (OCS); an organization with an invited
 * child (link, governance, subscription mapping), a created child tenancy and a pending sender
 * invitation (OCI); a QUOTA governance rule attached to the child; usage records; work requests.
 */
export interface World {
  label: string;
  tenant: SeededTenant;
  party: Party;
  /** A TenantMember user, and a TenantAdministrator client with a token from /identity/connect/token. */
  member: Actor;
  client: Actor;
  /** Signs an `inject` request as the admin's API key (oci-common's signer). */
  sign: ReturnType<typeof ociSigner>;
  /** Real ids by path-parameter name; `/20220504:workRequestId` when a name means another kind there. */
  ids: Record<string, string>;
  /** Every id, OCID, name and email of this tenancy's resources, for leak checks. */
  secrets: string[];
}

const TYPE = {
  Id: 'Reading',
  SdsTypeCode: 'Object',
  Properties: [
    { Id: 'Time', IsKey: true, SdsType: { Id: 'dateTimeType', SdsTypeCode: 'DateTime', Properties: [] } },
    { Id: 'Value', SdsType: { Id: 'doubleType', SdsTypeCode: 'Double', Properties: [] } },
  ],
};

function expect<T>(res: { status: number; body: T; text: string }, statuses: number[], what: string): T {
  if (!statuses.includes(res.status)) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.body;
}

/** Seeds one world; `url` is where the app listens (the official SDKs make the OCI resources). */
export async function seedWorld(t: TestApp, url: string, label: string, third: Party): Promise<World> {
  const tag = `${label}${randomBytes(3).toString('hex')}`;
  const party = await governanceParty(t, url);
  const tenant = party.tenant;
  const secrets: string[] = [tenant.id, tenant.ocid, tenant.name, tenant.admin.id, tenant.admin.ocid, tenant.admin.email, tenant.subscriptionId];

  // Identity: a member, a client, a group and a policy.
  const memberEmail = `member@${tag}.test`;
  const member = await seedUser(t, tenant, ['TenantMember'], memberEmail);
  const client = await seedClient(t, tenant, ['TenantAdministrator']);
  const group = await operator(t, 'POST', `/tenants/${tenant.id}/groups`, { name: `group-${tag}`, members: [member.id] });
  const policy = await operator(t, 'POST', `/tenants/${tenant.id}/policies`, {
    name: `policy-${tag}`,
    statements: [`Allow group group-${tag} to inspect organizations-family in tenancy`],
  });
  secrets.push(memberEmail, member.id, client.id, `group-${tag}`, `policy-${tag}`, ...[group.id, policy.id].filter(Boolean));

  // An API key of the admin, for signing raw requests.
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const { fingerprint } = await operator(t, 'POST', `/users/${tenant.admin.id}/api-keys`, { publicKey: keys.publicKey });
  const sign = ociSigner(tenant.ocid, tenant.admin.ocid, fingerprint, keys.privateKey, () => t.clock.now());

  // Streams: a namespace, a type, a stream with events.
  const namespaceId = `ns-${tag}`;
  const streamId = `stream-${tag}`;
  await operator(t, 'POST', `/tenants/${tenant.id}/namespaces`, { id: namespaceId });
  const base = `/api/v1/Tenants/${tenant.id}/Namespaces/${namespaceId}`;
  const token = tenant.adminToken;
  expect(await ocs(t, token, 'POST', `${base}/Types/Reading`, TYPE), [201, 302], 'type');
  expect(await ocs(t, token, 'POST', `${base}/Streams/${streamId}`, { TypeId: 'Reading', Name: `Stream ${tag}`, Description: `readings ${tag}` }), [201], 'stream');
  const at = (m: number) => new Date(Date.UTC(2026, 10, 1, 0, m)).toISOString();
  expect(await ocs(t, token, 'POST', `${base}/Streams/${streamId}/Data`, [0, 1, 2].map((i) => ({ Time: at(i), Value: 40 + i }))), [204], 'events');
  secrets.push(namespaceId, streamId, `Stream ${tag}`, `readings ${tag}`);

  // A community with the third tenancy as member, the stream shared into it, and a pending invitation.
  const communityName = `Community ${tag}`;
  const community = expect(await ocs(t, token, 'POST', '/Communities', { Name: communityName, Description: `about ${tag}` }), [201], 'community');
  const joining = await invite(t, tenant, community.Id, `contact@${tag}.test`);
  expect(await act(t, third.tenant.adminToken, joining.Id, 'Accept', { ContactEmail: `partner@${tag}.test` }), [200], 'accept');
  expect(await act(t, token, joining.Id, 'Confirm'), [200], 'confirm');
  const acl = expect(await ocs(t, token, 'GET', `${base}/Streams/${streamId}/AccessControl`), [200], 'acl');
  acl.RoleTrusteeAccessControlEntries.push({ Trustee: { Type: 3, ObjectId: community.MemberRoleId }, AccessType: 0, AccessRights: 1 });
  expect(await ocs(t, token, 'PUT', `${base}/Streams/${streamId}/AccessControl`, acl), [204], 'share');
  const pending = await invite(t, tenant, community.Id, `invitee@${tag}.test`);
  secrets.push(community.Id, communityName, `about ${tag}`, community.MemberRoleId, joining.Id, pending.Id, `invitee@${tag}.test`, `contact@${tag}.test`, `partner@${tag}.test`);

  // Organizations: an invited child that joined, a created child tenancy, a pending invitation.
  const child = await governanceParty(t, url, 'PAYG');
  await join(party, child, ['LINK', 'GOVERNANCE']);
  const [organization] = (await party.oci.organization.listOrganizations({ compartmentId: tenant.ocid })).organizationCollection.items;
  const created = await party.oci.organization.createChildTenancy({
    createChildTenancyDetails: { compartmentId: tenant.ocid, tenancyName: `kid${tag}`, homeRegion: 'us-ashburn-1', adminEmail: `kid@${tag}.test` },
  });
  const createdWr = await party.oci.waitFor(created.opcWorkRequestId);
  const sent = await party.oci.sender.createSenderInvitation({
    createSenderInvitationDetails: { compartmentId: tenant.ocid, recipientTenancyId: third.tenant.ocid, displayName: `invitation ${tag}`, subjects: ['LINK'] as never[] },
  });
  await party.oci.waitFor(sent.opcWorkRequestId);
  const sender = (await party.oci.sender.getSenderInvitation({ senderInvitationId: sent.senderInvitation.id })).senderInvitation;
  const [link] = (await party.oci.link.listLinks({ parentTenancyId: tenant.ocid })).linkCollection.items;
  const [mapping] = (await party.oci.subscription.listSubscriptionMappings({ subscriptionId: tenant.subscriptionId })).subscriptionMappingCollection.items;
  secrets.push(child.tenant.id, child.tenant.ocid, child.tenant.name, child.tenant.admin.email, organization.id, sender.id, sender.recipientInvitationId!, `invitation ${tag}`);
  secrets.push(`kid${tag}`, `kid@${tag}.test`, createdWr.id, ...[link?.id, mapping?.id].filter((x): x is string => Boolean(x)));

  // Governance: a QUOTA rule on the child, seen by the child as an enforced rule and a locked quota.
  const ruleName = `rule-${tag}`;
  const rule = await party.gov.rules.createGovernanceRule({
    createGovernanceRuleDetails: {
      compartmentId: tenant.ocid,
      displayName: ruleName,
      type: 'QUOTA' as never,
      creationOption: 'TEMPLATE' as never,
      template: { type: 'QUOTA', displayName: ruleName, statements: ['zero resource-manager quotas in tenancy'] } as never,
    },
  });
  await party.gov.waitFor(rule.opcWorkRequestId);
  const criterion = await party.gov.rules.createInclusionCriterion({
    createInclusionCriterionDetails: { governanceRuleId: rule.governanceRule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: child.tenant.ocid } as never },
  });
  const govWr = await party.gov.waitFor(criterion.opcWorkRequestId);
  const [attachment] = (await party.gov.rules.listTenancyAttachments({ compartmentId: tenant.ocid, governanceRuleId: rule.governanceRule.id })).tenancyAttachmentCollection.items;
  const [enforced] = (await child.gov.rules.listEnforcedGovernanceRules({ compartmentId: child.tenant.ocid })).enforcedGovernanceRuleCollection.items;
  const [quota] = (await child.gov.quotas.listQuotas({ compartmentId: child.tenant.ocid })).items;
  secrets.push(rule.governanceRule.id, ruleName, criterion.inclusionCriterion.id, govWr.id, ...[attachment?.id, enforced?.id, quota?.id].filter((x): x is string => Boolean(x)));

  // Metering: usage of the tenancy.
  await operator(t, 'POST', '/usage', {
    records: [{ id: `usage-${tag}`, tenancyId: tenant.ocid, service: 'COMPUTE', resource: `vm-${tag}`, quantity: 3, unit: 'OCPU_HOURS', time: new Date(t.clock.now() - 3_600_000).toISOString() }],
  });
  secrets.push(`vm-${tag}`);

  const ids: Record<string, string> = {
    tenantId: tenant.id,
    callerTenantId: tenant.id,
    communityId: community.Id,
    // Accepted and confirmed by the third tenancy: bound to it, no longer an open email link.
    invitationId: joining.Id,
    namespaceId,
    typeId: 'Reading',
    streamId,
    userId: member.id,
    clientId: client.id,
    groupId: community.MemberRoleId,
    identityProviderId: community.MemberRoleId,
    claimId: community.MemberRoleId,
    senderInvitationId: sender.id,
    recipientInvitationId: sender.recipientInvitationId!,
    workRequestId: createdWr.id,
    organizationId: organization.id,
    tenancyId: child.tenant.ocid,
    organizationTenancyId: child.tenant.ocid,
    linkId: link?.id ?? 'ocid1.link.oc1..none',
    subscriptionId: tenant.subscriptionId,
    assignedSubscriptionId: tenant.subscriptionId,
    subscriptionMappingId: mapping?.id ?? 'ocid1.subscriptionmapping.oc1..none',
    governanceRuleId: rule.governanceRule.id,
    inclusionCriterionId: criterion.inclusionCriterion.id,
    tenancyAttachmentId: attachment?.id ?? 'ocid1.tenancyattachment.oc1..none',
    enforcedGovernanceRuleId: enforced?.id ?? 'ocid1.enforcedgovernancerule.oc1..none',
    quotaId: quota?.id ?? 'ocid1.quota.oc1..none',
    serviceName: 'compute',
    limitName: 'standard-e4-core-count',
    '/20220504:workRequestId': govWr.id,
  };
  child.oci.close();
  child.gov.close();
  return { label, tenant, party, member, client, sign, ids, secrets: [...new Set(secrets)] };
}

/** The id for a path parameter of a route, by the route's API version when a name means two kinds. */
export function idFor(world: World, path: string, name: string): string {
  const version = /^\/\d{8}/.exec(path)?.[0];
  return world.ids[`${version}:${name}`] ?? world.ids[name] ?? `unknown-${name}`;
}

export interface Worlds {
  t: TestApp;
  /** Where the app listens. */
  url: string;
  a: World;
  b: World;
  /** The tenancy both deal with: a member of both communities, invited by both organizations. */
  third: Party;
  close(): Promise<void>;
}

/** An app listening on a free port with a live worker, and the worlds of two tenancies A and B. */
export async function createWorlds(): Promise<Worlds> {
  const t = await createTestApp({ liveWorker: true });
  const parties: Party[] = [];
  const close = async () => {
    for (const p of parties) {
      p.oci.close();
      p.gov.close();
    }
    await t.close();
  };
  try {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const third = await governanceParty(t, url);
    parties.push(third);
    const a = await seedWorld(t, url, 'alpha', third);
    parties.push(a.party);
    const b = await seedWorld(t, url, 'bravo', third);
    parties.push(b.party);
    return { t, url, a, b, third, close };
  } catch (error) {
    await close();
    throw error;
  }
}
