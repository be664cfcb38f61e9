import { createHash } from 'node:crypto';
import type { ServiceDeps } from '../../platform/deps.js';
import { unauthenticated } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { authorize } from '../identity/identity.service.js';
import type { Verb } from '../identity/policies.js';
import { getTenantOrThrow, type Tenant } from '../tenants/tenants.service.js';
import { etagMismatch, missingParameter, orgNotFound } from './organizations.errors.js';

/** The tenancy the caller acts in (the keyId's tenancy). */
export async function callerTenancy(deps: ServiceDeps, actor: Principal): Promise<Tenant> {
  if (!actor.tenantId) throw unauthenticated('the Organizations API acts for a user of a tenancy');
  return getTenantOrThrow(deps, actor.tenantId);
}

/**
 * IAM check on a resource type of reference §8 (Administrators may do everything). A refusal is
 * rendered NotAuthorizedOrNotFound, like a resource of another tenancy.
 */
export async function allow(deps: ServiceDeps, actor: Principal, tenant: Tenant, verb: Verb, resourceType: string): Promise<void> {
  await authorize(deps, actor, { verb, resourceType, variables: { 'target.tenant.id': tenant.ocid } });
}

/** The caller's tenancy and IAM permission in one step, for operations scoped to the caller's tenancy. */
export async function actingTenancy(deps: ServiceDeps, actor: Principal, verb: Verb, resourceType: string): Promise<Tenant> {
  const tenant = await callerTenancy(deps, actor);
  await allow(deps, actor, tenant, verb, resourceType);
  return tenant;
}

/** A compartmentId naming another tenancy reads as "not found", never "forbidden". */
export function requireOwnCompartment(tenant: Tenant, compartmentId: string | undefined, name = 'compartmentId'): void {
  if (!compartmentId) throw missingParameter(name);
  if (compartmentId !== tenant.ocid) throw orgNotFound('compartment', compartmentId);
}

/** Etags are opaque: a hash of the resource id and its row version. */
export function etagOf(id: string, version: number): string {
  return createHash('sha256').update(`${id}:${version}`).digest('hex').slice(0, 16);
}

export function checkIfMatch(ifMatch: string | undefined, id: string, version: number): void {
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(id, version)) throw etagMismatch();
}

export const json = <T>(text: string): T => JSON.parse(text) as T;
export const iso = (ms: number) => new Date(ms).toISOString();
export const isoOrUndefined = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());

export interface Paged<T, Next = number> {
  items: T[];
  /** Where the next page starts (an offset unless the list pages by keyset), or undefined on the last page. */
  next?: Next;
}

export function paged<R, T>(rows: R[], offset: number, limit: number, map: (row: R) => T): Paged<T> {
  return { items: rows.slice(0, limit).map(map), next: rows.length > limit ? offset + limit : undefined };
}
