import jsonPatch from 'fast-json-patch';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ServiceDeps } from '../../platform/deps.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/principal.js';
import { recordChange } from '../audit/audit.service.js';
import { rolesOf, tenantRoles } from '../identity/identity.service.js';
import { getNamespaceOrThrow, getTenantOrThrow, listNamespaces } from '../tenants/tenants.service.js';
import { AccessRights, defaultStreamAcl, normalizeAcl, rightsOf, type AccessControlList } from './access.js';
import { keyCodec, normalizeType, type KeyCodec, type SdsType, type SdsTypeInput } from './sds-types.js';
import { enterCommunity, planAclChange, recordShares, requireVisible, visibleIn } from './sharing.service.js';
import * as repo from './streams.repo.js';

/** A tenant's namespace, the scope of every SDS call. */
export interface Scope {
  tenantId: string;
  namespaceId: string;
}

export interface Stream {
  Id: string;
  Name: string;
  Description: string;
  TypeId: string;
}

/** Get-or-create answers: 201 for a new resource, 302 for an identical existing one. */
export type Created<T> = { created: boolean; value: T };

/** The most events one window read returns; a wider window is refused rather than truncated. */
export const MAX_WINDOW_EVENTS = 250_000;

const toStream = (row: repo.StreamRow): Stream => ({ Id: row.id, Name: row.name, Description: row.description, TypeId: row.type_id });

/** The caller works in its own tenant only (shared reads of other tenants go through communities). */
async function enterScope(deps: ServiceDeps, principal: Principal, scope: Scope): Promise<void> {
  if (principal.tenantId !== scope.tenantId) throw forbidden('FORBIDDEN', 'this tenant is not yours; read shared streams with the community-id header');
  await getNamespaceOrThrow(deps, scope.tenantId, scope.namespaceId);
}

async function roleIdsOf(deps: ServiceDeps, principal: Principal): Promise<Set<string>> {
  return new Set((await rolesOf(deps, principal)).map((r) => r.id));
}

/** Creating or deleting types and streams is the namespace's Write right: Tenant Administrators. */
async function requireNamespaceWrite(deps: ServiceDeps, principal: Principal): Promise<void> {
  if (!(await rolesOf(deps, principal)).some((r) => r.name === 'TenantAdministrator')) {
    throw forbidden('FORBIDDEN', 'creating or deleting types and streams needs the Tenant Administrator role');
  }
}

async function streamWithRights(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, needed: number) {
  const row = await repo.findStream(deps.database.db, scope, streamId);
  if (!row) throw notFound('STREAM_NOT_FOUND', `no stream ${streamId} in namespace ${scope.namespaceId}`);
  const acl = JSON.parse(row.acl) as AccessControlList;
  const rights = rightsOf(acl, await roleIdsOf(deps, principal));
  if ((rights & AccessRights.Read) === 0) throw notFound('STREAM_NOT_FOUND', `no stream ${streamId} in namespace ${scope.namespaceId}`);
  if ((rights & needed) !== needed) throw forbidden('FORBIDDEN', `this needs access rights ${needed} on stream ${streamId}; you have ${rights}`);
  return { row, acl, rights };
}

/**
 * A stream the caller may read: in its own tenant by the stream's ACL, or — `via` a community
 * (the community-id header) — in another member tenant by the visibility rule of §5.
 */
async function readable(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, via: string | undefined): Promise<repo.StreamRow> {
  if (via === undefined) {
    await enterScope(deps, principal, scope);
    return (await streamWithRights(deps, principal, scope, streamId, AccessRights.Read)).row;
  }
  const community = await enterCommunity(deps, principal, via);
  return requireVisible(community, principal, await repo.findStream(deps.database.db, scope, streamId));
}

/** Shared streams are read-only: no write (nor ACL or type read) goes through a community. */
export function refuseShared(via: string | undefined): void {
  if (via !== undefined) throw forbidden('READ_ONLY_SHARE', 'streams shared through a community are read-only; write without the community-id header in your own tenant');
}

async function typeOf(deps: ServiceDeps, scope: Scope, typeId: string): Promise<SdsType> {
  const row = await repo.findType(deps.database.db, scope, typeId);
  if (!row) throw notFound('TYPE_NOT_FOUND', `no type ${typeId} in namespace ${scope.namespaceId}`);
  return JSON.parse(row.definition) as SdsType;
}

export async function listNamespacesOf(deps: ServiceDeps, principal: Principal, tenantId: string) {
  if (principal.tenantId !== tenantId) throw forbidden('FORBIDDEN', 'you may list the namespaces of your own tenant only');
  const tenant = await getTenantOrThrow(deps, tenantId);
  return (await listNamespaces(deps, tenantId)).map((ns) => ({ Id: ns.id, Region: tenant.homeRegion, Description: '' }));
}

// Types

export async function getOrCreateType(deps: ServiceDeps, principal: Principal, scope: Scope, typeId: string, input: SdsTypeInput): Promise<Created<SdsType>> {
  await enterScope(deps, principal, scope);
  if (input.Id && input.Id !== typeId) throw invalid('ID_MISMATCH', `the body's Id ${input.Id} differs from the path's ${typeId}`);
  const type = normalizeType(input, typeId);
  await requireNamespaceWrite(deps, principal);
  const definition = JSON.stringify(type);
  const existing = await repo.findType(deps.database.db, scope, typeId);
  if (existing) {
    if (existing.definition === definition) return { created: false, value: type };
    throw conflict('TYPE_EXISTS', `type ${typeId} already exists with a different definition`);
  }
  return inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      await repo.insertType(trx, { tenant_id: scope.tenantId, namespace_id: scope.namespaceId, id: typeId, definition, created_at: now });
      await recordChange(trx, principal, now, { tenantId: scope.tenantId, action: 'sds.type.create', resourceType: 'SdsType', resourceId: `${scope.namespaceId}/${typeId}`, after: type });
      return { created: true, value: type };
    },
    { sds_types_pkey: () => conflict('TYPE_EXISTS', `type ${typeId} was created at the same time; read it again`) },
  );
}

export async function getType(deps: ServiceDeps, principal: Principal, scope: Scope, typeId: string): Promise<SdsType> {
  await enterScope(deps, principal, scope);
  return typeOf(deps, scope, typeId);
}

export async function listTypes(deps: ServiceDeps, principal: Principal, scope: Scope, skip: number, count: number): Promise<SdsType[]> {
  await enterScope(deps, principal, scope);
  return (await repo.listTypes(deps.database.db, scope, skip, count)).map((row) => JSON.parse(row.definition) as SdsType);
}

export async function deleteType(deps: ServiceDeps, principal: Principal, scope: Scope, typeId: string): Promise<void> {
  await enterScope(deps, principal, scope);
  await requireNamespaceWrite(deps, principal);
  await inTransaction(deps.database, async (trx) => {
    if ((await repo.countStreamsOfType(trx, scope, typeId)) > 0) throw conflict('TYPE_IN_USE', `type ${typeId} is used by streams; delete them first`);
    if (!(await repo.deleteType(trx, scope, typeId))) throw notFound('TYPE_NOT_FOUND', `no type ${typeId} in namespace ${scope.namespaceId}`);
    await recordChange(trx, principal, deps.clock.now(), { tenantId: scope.tenantId, action: 'sds.type.delete', resourceType: 'SdsType', resourceId: `${scope.namespaceId}/${typeId}` });
  });
}

// Streams

export interface StreamInput {
  Id?: string | null;
  TypeId: string;
  Name?: string | null;
  Description?: string | null;
}

export async function getOrCreateStream(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, input: StreamInput): Promise<Created<Stream>> {
  await enterScope(deps, principal, scope);
  if (input.Id && input.Id !== streamId) throw invalid('ID_MISMATCH', `the body's Id ${input.Id} differs from the path's ${streamId}`);
  await requireNamespaceWrite(deps, principal);
  await typeOf(deps, scope, input.TypeId).catch(() => {
    throw invalid('TYPE_NOT_FOUND', `the stream's TypeId ${input.TypeId} is not a type of namespace ${scope.namespaceId}; create the type first`);
  });
  const stream: Stream = { Id: streamId, Name: input.Name ?? streamId, Description: input.Description ?? '', TypeId: input.TypeId };
  const existing = await repo.findStream(deps.database.db, scope, streamId);
  if (existing) {
    const same = existing.type_id === stream.TypeId && existing.name === stream.Name && existing.description === stream.Description;
    if (same) return { created: false, value: toStream(existing) };
    throw conflict('STREAM_EXISTS', `stream ${streamId} already exists with a different definition`);
  }
  const roles = await tenantRoles(deps, scope.tenantId);
  return inTransaction(
    deps.database,
    async (trx) => {
      const now = deps.clock.now();
      const acl = defaultStreamAcl(scope.tenantId, roles);
      await repo.insertStream(trx, {
        tenant_id: scope.tenantId,
        namespace_id: scope.namespaceId,
        id: streamId,
        type_id: stream.TypeId,
        name: stream.Name,
        description: stream.Description,
        acl: JSON.stringify(acl),
        created_at: now,
      });
      await recordChange(trx, principal, now, { tenantId: scope.tenantId, action: 'sds.stream.create', resourceType: 'SdsStream', resourceId: `${scope.namespaceId}/${streamId}`, after: stream });
      return { created: true, value: stream };
    },
    { sds_streams_pkey: () => conflict('STREAM_EXISTS', `stream ${streamId} was created at the same time; read it again`) },
  );
}

export async function getStream(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, via?: string): Promise<Stream> {
  return toStream(await readable(deps, principal, scope, streamId, via));
}

/** A stream's type; through a community only the resolved stream shows it (types are not shared). */
export async function getStreamType(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, via?: string): Promise<SdsType> {
  if (via !== undefined) throw forbidden('TYPES_NOT_SHARED', 'types of shared streams are read through the stream\'s Resolved route');
  const stream = await getStream(deps, principal, scope, streamId);
  return typeOf(deps, scope, stream.TypeId);
}

export async function getResolvedStream(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, via?: string) {
  const stream = await getStream(deps, principal, scope, streamId, via);
  const { TypeId, ...rest } = stream;
  return { ...rest, Type: await typeOf(deps, scope, TypeId), TenantId: scope.tenantId, NamespaceId: scope.namespaceId };
}

/** Streams the caller may read whose id, name or description contains `query`. */
export async function listStreams(
  deps: ServiceDeps,
  principal: Principal,
  scope: Scope,
  query: string | undefined,
  skip: number,
  count: number,
  via?: string,
): Promise<Stream[]> {
  const text = query && query !== '*' ? query.replace(/\*/g, '') : undefined;
  let canRead: (row: repo.StreamRow) => boolean;
  if (via === undefined) {
    await enterScope(deps, principal, scope);
    const roleIds = await roleIdsOf(deps, principal);
    canRead = (row) => (rightsOf(JSON.parse(row.acl) as AccessControlList, roleIds) & AccessRights.Read) !== 0;
  } else {
    const community = await enterCommunity(deps, principal, via);
    canRead = (row) => visibleIn(community, principal.tenantId!, row);
  }
  const rows = await repo.searchStreams(deps.database.db, scope, text);
  return rows.filter(canRead).slice(skip, skip + count).map(toStream);
}

export async function deleteStream(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string): Promise<void> {
  await enterScope(deps, principal, scope);
  await streamWithRights(deps, principal, scope, streamId, AccessRights.Delete);
  await inTransaction(deps.database, async (trx) => {
    if (!(await repo.deleteStream(trx, scope, streamId))) throw notFound('STREAM_NOT_FOUND', `no stream ${streamId} in namespace ${scope.namespaceId}`);
    await recordChange(trx, principal, deps.clock.now(), { tenantId: scope.tenantId, action: 'sds.stream.delete', resourceType: 'SdsStream', resourceId: `${scope.namespaceId}/${streamId}` });
  });
}

// Data

function encodeEvents(codec: KeyCodec, events: unknown[]): repo.EventRow[] & { keys: Set<string> } {
  const keys = new Set<string>();
  const rows = events.map((event, i) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) throw invalid('INVALID_EVENT', `event ${i} is not a JSON object`);
    const key = codec.encode((event as Record<string, unknown>)[codec.property]);
    if (key === undefined) throw invalid('INVALID_EVENT', `event ${i} has no valid index property ${codec.property}`);
    if (keys.has(key)) throw invalid('DUPLICATE_INDEX', `event ${i} repeats the index of an earlier event in the request`);
    keys.add(key);
    return { key, event: JSON.stringify(event) };
  });
  return Object.assign(rows as unknown as repo.EventRow[], { keys });
}

/**
 * Writes events. `insert` refuses the whole request (409) when an index already holds an event;
 * `upsert` adds or replaces (SDS Update Values).
 */
export async function writeData(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, events: unknown[], mode: 'insert' | 'upsert'): Promise<void> {
  await enterScope(deps, principal, scope);
  const { row } = await streamWithRights(deps, principal, scope, streamId, AccessRights.Write);
  const codec = keyCodec(await typeOf(deps, scope, row.type_id));
  const encoded = encodeEvents(codec, events).map((e) => ({ tenant_id: scope.tenantId, namespace_id: scope.namespaceId, stream_id: streamId, key: e.key, event: e.event }));
  if (encoded.length === 0) return;
  await inTransaction(
    deps.database,
    async (trx) => {
      await repo.writeEvents(trx, encoded, mode === 'upsert');
      await recordChange(trx, principal, deps.clock.now(), {
        tenantId: scope.tenantId,
        action: mode === 'insert' ? 'sds.data.insert' : 'sds.data.update',
        resourceType: 'SdsStream',
        resourceId: `${scope.namespaceId}/${streamId}`,
        after: { events: encoded.length },
      });
    },
    { sds_events_pkey: () => conflict('EVENT_EXISTS', 'an event already exists at one of the indexes; nothing was inserted (use PUT to replace)') },
  );
}

function windowBounds(codec: KeyCodec, startIndex: string | undefined, endIndex: string | undefined): [string, string] {
  if (startIndex === undefined || endIndex === undefined) throw invalid('MISSING_INDEX', 'a window read needs both startIndex and endIndex');
  const start = codec.encode(startIndex);
  const end = codec.encode(endIndex);
  if (start === undefined || end === undefined) throw invalid('INVALID_INDEX', `startIndex and endIndex must be values of the index property ${codec.property}`);
  return [start, end];
}

/**
 * The events from startIndex to endIndex, both inclusive, in index order, as one JSON array text:
 * events are stored as the JSON they arrived in, so a window of thousands is joined, not parsed
 * and serialized again.
 */
export async function readWindow(
  deps: ServiceDeps,
  principal: Principal,
  scope: Scope,
  streamId: string,
  startIndex?: string,
  endIndex?: string,
  via?: string,
): Promise<string> {
  const row = await readable(deps, principal, scope, streamId, via);
  const [start, end] = windowBounds(keyCodec(await typeOf(deps, scope, row.type_id)), startIndex, endIndex);
  const rows = await repo.readWindow(deps.database.db, scope, streamId, start, end, MAX_WINDOW_EVENTS + 1);
  if (rows.length > MAX_WINDOW_EVENTS) throw invalid('WINDOW_TOO_LARGE', `the window holds more than ${MAX_WINDOW_EVENTS} events; narrow it`);
  return `[${rows.map((r) => r.event).join(',')}]`;
}

export async function readEdge(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, edge: 'first' | 'last', via?: string): Promise<unknown> {
  await readable(deps, principal, scope, streamId, via);
  const row = await repo.readEdge(deps.database.db, scope, streamId, edge);
  return row ? JSON.parse(row.event) : null;
}

export async function removeWindow(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, startIndex?: string, endIndex?: string): Promise<void> {
  await enterScope(deps, principal, scope);
  const { row } = await streamWithRights(deps, principal, scope, streamId, AccessRights.Write);
  const [start, end] = windowBounds(keyCodec(await typeOf(deps, scope, row.type_id)), startIndex, endIndex ?? startIndex);
  await inTransaction(deps.database, async (trx) => {
    const removed = await repo.deleteWindow(trx, scope, streamId, start, end);
    await recordChange(trx, principal, deps.clock.now(), { tenantId: scope.tenantId, action: 'sds.data.remove', resourceType: 'SdsStream', resourceId: `${scope.namespaceId}/${streamId}`, after: { events: removed } });
  });
}

// Access control

export async function getAcl(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string): Promise<AccessControlList> {
  await enterScope(deps, principal, scope);
  return (await streamWithRights(deps, principal, scope, streamId, AccessRights.Read)).acl;
}

/**
 * Replaces a stream's ACL after checking the rights the change needs (see planAclChange), and
 * records which communities it is now shared into, in the same transaction.
 */
async function replaceAcl(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, rights: number, before: AccessControlList, next: AccessControlList): Promise<void> {
  const ownRoleIds = new Set((await tenantRoles(deps, scope.tenantId)).map((r) => r.id));
  const plan = await planAclChange(deps, principal, scope.tenantId, ownRoleIds, before, next);
  // Writing an unchanged ACL still takes the right to manage it.
  const needed = plan.needed || AccessRights.ManageAccessControl;
  if ((rights & needed) !== needed) {
    throw forbidden('FORBIDDEN', `this change needs access rights ${needed} (ManageAccessControl 8 for your roles, Share 16 for community roles); you have ${rights}`);
  }
  await inTransaction(deps.database, async (trx) => {
    if (!(await repo.updateStreamAcl(trx, scope, streamId, JSON.stringify(next)))) throw notFound('STREAM_NOT_FOUND', `no stream ${streamId}`);
    await recordShares(trx, { ...scope, streamId }, plan.sharedInto, deps.clock.now());
    await recordChange(trx, principal, deps.clock.now(), { tenantId: scope.tenantId, action: 'sds.stream.acl', resourceType: 'SdsStream', resourceId: `${scope.namespaceId}/${streamId}`, before, after: next });
  });
}

export async function putAcl(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, body: unknown): Promise<void> {
  await enterScope(deps, principal, scope);
  const next = normalizeAcl(body);
  const { acl, rights } = await streamWithRights(deps, principal, scope, streamId, AccessRights.Read);
  await replaceAcl(deps, principal, scope, streamId, rights, acl, next);
}

/** RFC 6902 JSON Patch on the ACL (clients send it as application/json). */
export async function patchAcl(deps: ServiceDeps, principal: Principal, scope: Scope, streamId: string, operations: unknown): Promise<AccessControlList> {
  await enterScope(deps, principal, scope);
  if (!Array.isArray(operations)) throw invalid('INVALID_PATCH', 'the body must be a JSON Patch array of operations');
  const { acl, rights } = await streamWithRights(deps, principal, scope, streamId, AccessRights.Read);
  let patched: unknown;
  try {
    patched = jsonPatch.applyPatch(structuredClone(acl), operations as jsonPatch.Operation[], true, false).newDocument;
  } catch (error) {
    throw invalid('INVALID_PATCH', `the patch does not apply: ${(error as Error).message.split('\n')[0]}`);
  }
  const next = normalizeAcl(patched);
  await replaceAcl(deps, principal, scope, streamId, rights, acl, next);
  return next;
}
