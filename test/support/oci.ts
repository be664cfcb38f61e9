import { generateKeyPairSync } from 'node:crypto';
import * as common from 'oci-common';
import * as tm from 'oci-tenantmanagercontrolplane';
import { operator, type TestApp } from './app.js';

/** Every Organizations API client of the official SDK, signed as one user, pointed at the test server. */
export interface OciClients {
  tenancyId: string;
  sender: tm.SenderInvitationClient;
  recipient: tm.RecipientInvitationClient;
  organization: tm.OrganizationClient;
  governance: tm.GovernanceClient;
  link: tm.LinkClient;
  subscription: tm.SubscriptionClient;
  workRequest: tm.WorkRequestClient;
  domain: tm.DomainClient;
  domainGovernance: tm.DomainGovernanceClient;
  orders: tm.OrdersClient;
  linkFeatures: tm.LinkFeaturesClient;
  /** Waits (with the SDK's own waiter) until the work request has finished; returns it. */
  waitFor(workRequestId: string | undefined): Promise<tm.models.WorkRequest>;
  close(): void;
}

/** An operator API call (method, path under /admin/v1, body) answering the parsed body: in-process or over HTTP. */
export type OperatorCall = (method: string, url: string, body?: unknown) => Promise<any>;

/**
 * Registers a fresh API key for the user through the operator API and builds the SDK clients with a
 * SimpleAuthenticationDetailsProvider (reference §9). Only `endpoint` is changed. `noRetries` turns
 * the SDK's own retries off (tests that kill the server count each request once).
 */
export async function ociClients(
  t: TestApp | OperatorCall,
  endpoint: string,
  user: { id: string; ocid: string },
  tenancyId: string,
  options: { noRetries?: boolean } = {},
): Promise<OciClients> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const call: OperatorCall = typeof t === 'function' ? t : (method, url, body) => operator(t, method, url, body);
  const { keyId, fingerprint } = await call('POST', `/users/${user.id}/api-keys`, { publicKey });
  const provider = new common.SimpleAuthenticationDetailsProvider(tenancyId, user.ocid, fingerprint, privateKey, null);
  if (keyId !== `${tenancyId}/${user.ocid}/${fingerprint}`) throw new Error(`unexpected keyId ${keyId}`);
  const config: common.ClientConfiguration = {
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
    ...(options.noRetries ? { retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } } : {}),
  };
  const make = <C extends { endpoint: string }>(Client: new (p: common.AuthParams, c?: common.ClientConfiguration) => C): C => {
    const client = new Client({ authenticationDetailsProvider: provider }, config);
    client.endpoint = endpoint;
    return client;
  };
  const clients = {
    tenancyId,
    sender: make(tm.SenderInvitationClient),
    recipient: make(tm.RecipientInvitationClient),
    organization: make(tm.OrganizationClient),
    governance: make(tm.GovernanceClient),
    link: make(tm.LinkClient),
    subscription: make(tm.SubscriptionClient),
    workRequest: make(tm.WorkRequestClient),
    domain: make(tm.DomainClient),
    domainGovernance: make(tm.DomainGovernanceClient),
    orders: make(tm.OrdersClient),
    linkFeatures: make(tm.LinkFeaturesClient),
  };
  return {
    ...clients,
    async waitFor(workRequestId) {
      if (!workRequestId) throw new Error('no opc-work-request-id');
      const waiter = clients.workRequest.createWaiters({
        terminationStrategy: new common.MaxTimeTerminationStrategy(20),
        delayStrategy: new common.FixedTimeDelayStrategy(0.05),
      });
      const res = await waiter.forWorkRequest({ workRequestId });
      return res.workRequest;
    },
    close() {
      for (const client of Object.values(clients)) if (typeof client === 'object') (client as { close(): void }).close();
    },
  };
}

/** The OCI error an SDK call threw, for assertions on statusCode and serviceCode. */
export async function ociError(call: Promise<unknown>): Promise<{ statusCode: number; serviceCode: string; message: string; opcRequestId?: string }> {
  try {
    await call;
  } catch (error) {
    return error as { statusCode: number; serviceCode: string; message: string; opcRequestId?: string };
  }
  throw new Error('expected the SDK call to fail');
}
