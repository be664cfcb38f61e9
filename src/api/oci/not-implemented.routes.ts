import type { FastifyInstance } from 'fastify';
import { notImplemented } from '../../modules/organizations/organizations.errors.js';

/** Operations of /20230401 this service does not offer: 501 NotImplemented (listed in the README). */
const OPERATIONS: Array<[method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, name: string]> = [
  ['POST', '/domains', 'createDomain'],
  ['GET', '/domains', 'listDomains'],
  ['GET', '/domains/:domainId', 'getDomain'],
  ['PUT', '/domains/:domainId', 'updateDomain'],
  ['DELETE', '/domains/:domainId', 'deleteDomain'],
  ['POST', '/domainGovernances', 'createDomainGovernance'],
  ['GET', '/domainGovernances', 'listDomainGovernances'],
  ['GET', '/domainGovernances/:domainGovernanceId', 'getDomainGovernance'],
  ['PUT', '/domainGovernances/:domainGovernanceId', 'updateDomainGovernance'],
  ['DELETE', '/domainGovernances/:domainGovernanceId', 'deleteDomainGovernance'],
  ['GET', '/orders/:activationToken', 'getOrder'],
  ['POST', '/orders/:activationToken/actions/activate', 'activateOrder'],
  ['GET', '/linkFeatures', 'listLinkFeatures'],
];

export async function notImplementedRoutes(app: FastifyInstance): Promise<void> {
  for (const [method, url, name] of OPERATIONS) {
    app.route({ method, url, schema: { hide: true }, handler: async () => Promise.reject(notImplemented(name)) });
  }
}
