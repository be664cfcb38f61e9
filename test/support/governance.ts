import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import * as common from 'oci-common';
import * as gr from 'oci-governancerulescontrolplane';
import * as limits from 'oci-limits';
import * as usageapi from 'oci-usageapi';
import { createTestApp, operator, seedTenant, type TestApp, type TestAppOptions } from './app.js';
import { ociClients, type OciClients } from './oci.js';

/** The Governance Rules API clients of the official SDK, signed as one user, pointed at the test server. */
export interface GovernanceClients {
  tenancyId: string;
  rules: gr.GovernanceRuleClient;
  workRequests: gr.WorkRequestClient;
  /** The Limits API clients (oci-limits), with the same key. */
  limits: limits.LimitsClient;
  quotas: limits.QuotasClient;
  /** The Usage API client (oci-usageapi), with the same key. */
  usage: usageapi.UsageapiClient;
  /** Waits (with the SDK's own waiter) until the governance work request has finished; returns it. */
  waitFor(workRequestId: string | undefined): Promise<gr.models.WorkRequest>;
  close(): void;
}

export async function governanceClients(t: TestApp, endpoint: string, user: { id: string; ocid: string }, tenancyId: string): Promise<GovernanceClients> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const { fingerprint } = await operator(t, 'POST', `/users/${user.id}/api-keys`, { publicKey });
  const provider = new common.SimpleAuthenticationDetailsProvider(tenancyId, user.ocid, fingerprint, privateKey, null);
  const config = { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) };
  const rules = new gr.GovernanceRuleClient({ authenticationDetailsProvider: provider }, config);
  rules.endpoint = endpoint;
  const workRequests = new gr.WorkRequestClient({ authenticationDetailsProvider: provider }, config);
  workRequests.endpoint = endpoint;
  const limitsClient = new limits.LimitsClient({ authenticationDetailsProvider: provider }, config);
  limitsClient.endpoint = endpoint;
  const quotas = new limits.QuotasClient({ authenticationDetailsProvider: provider }, config);
  quotas.endpoint = endpoint;
  const usage = new usageapi.UsageapiClient({ authenticationDetailsProvider: provider }, config);
  usage.endpoint = endpoint;
  return {
    tenancyId,
    rules,
    workRequests,
    limits: limitsClient,
    quotas,
    usage,
    async waitFor(workRequestId) {
      if (!workRequestId) throw new Error('no opc-work-request-id');
      const waiter = workRequests.createWaiters({
        terminationStrategy: new common.MaxTimeTerminationStrategy(20),
        delayStrategy: new common.FixedTimeDelayStrategy(0.05),
      });
      return (await waiter.forWorkRequest({ workRequestId })).workRequest;
    },
    close() {
      rules.close();
      workRequests.close();
      limitsClient.close();
      quotas.close();
      usage.close();
    },
  };
}

export interface Party {
  tenant: Awaited<ReturnType<typeof seedTenant>>;
  oci: OciClients;
  gov: GovernanceClients;
}

/** A tenancy with both APIs' clients for its admin. */
export async function governanceParty(t: TestApp, url: string, subscriptionType = 'ANNUAL_COMMIT'): Promise<Party> {
  const tenant = await seedTenant(t, { subscriptionType });
  const oci = await ociClients(t, url, tenant.admin, tenant.ocid);
  const gov = await governanceClients(t, url, tenant.admin, tenant.ocid);
  return { tenant, oci, gov };
}

/** Invites `child` into `parent`'s organization with these subjects and has it accept; waits for both. */
export async function join(parent: Party, child: Party, subjects: Array<'LINK' | 'GOVERNANCE'>): Promise<void> {
  const created = await parent.oci.sender.createSenderInvitation({
    createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, subjects: subjects as never[] },
  });
  await parent.oci.waitFor(created.opcWorkRequestId);
  const sent = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: created.senderInvitation.id })).senderInvitation;
  const accepted = await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: sent.recipientInvitationId! });
  const wr = await child.oci.waitFor(accepted.opcWorkRequestId);
  if (wr.status !== 'SUCCEEDED') throw new Error(`joining ended ${wr.status}`);
}

/**
 * One test app for a describe block, serving HTTP on a free port with its worker running, and the
 * parties its tests create (their SDK clients are closed after the block). `t` and `url` are read
 * inside tests, once the block's `before` has run.
 */
export function governanceStage(options: TestAppOptions = {}) {
  let t: TestApp;
  let url: string;
  const closers: Array<() => void> = [];
  before(async () => {
    t = await createTestApp({ liveWorker: true, ...options });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const close of closers) close();
    await t?.close();
  });
  return {
    get t() {
      return t;
    },
    get url() {
      return url;
    },
    /** A tenancy with both APIs' clients for its admin, closed after the block. */
    async party(subscriptionType = 'ANNUAL_COMMIT'): Promise<Party> {
      const p = await governanceParty(t, url, subscriptionType);
      closers.push(() => p.oci.close(), () => p.gov.close());
      return p;
    },
    /** Governance clients of another user, closed after the block. */
    async clients(user: { id: string; ocid: string }, tenancyId: string): Promise<GovernanceClients> {
      const gov = await governanceClients(t, url, user, tenancyId);
      closers.push(() => gov.close());
      return gov;
    },
  };
}
