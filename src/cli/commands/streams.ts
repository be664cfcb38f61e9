import { body, describeGroup, pathParam, query, type CommandSpec, type HttpSpec } from '../spec.js';

// `tenantry streams …`: SDS types, streams and events of a tenant namespace (/api/v1), bearer-authenticated.

const ns = '/api/v1/Tenants/{tenantId}/Namespaces/{namespaceId}';
const sds = (method: HttpSpec['method'], url: string, extra: Partial<HttpSpec> = {}): HttpSpec => ({ auth: 'bearer', method, url: `${ns}${url}`, ...extra });
const tenantId = pathParam('tenant-id', 'The tenant id (GUID; default: tenant_id of the profile).', { profileKey: 'tenant_id' });
const namespaceId = pathParam('namespace-id', 'The namespace (default: namespace of the profile).', { profileKey: 'namespace' });
const scope = [tenantId, namespaceId];
const typeId = pathParam('type-id', 'The id of the SDS type.');
const streamId = pathParam('stream-id', 'The id of the stream.');
const window = [query('start-index', 'The first index of the window.'), query('end-index', 'The last index of the window.'), query('index', 'One index (instead of a window).')];
const communityHeader = { flag: 'community-id', in: 'header' as const, key: 'community-id', help: 'Read a stream shared with you through this community.' };

describeGroup('streams', 'SDS streams (/api/v1): types, streams, events and stream access control of a tenant namespace. Bearer token from the profile.');
describeGroup('streams namespace', 'Namespaces of a tenant.');
describeGroup('streams type', 'SDS types.');
describeGroup('streams stream', 'Streams.');
describeGroup('streams data', 'Events of a stream.');
describeGroup('streams acl', 'Access control of a stream.');

export const streamCommands: CommandSpec[] = [
  { path: ['streams', 'namespace', 'list'], summary: 'List the namespaces of a tenant.', params: [tenantId], http: { auth: 'bearer', method: 'GET', url: '/api/v1/Tenants/{tenantId}/Namespaces' } },
  { path: ['streams', 'type', 'list'], summary: 'List SDS types.', params: scope, http: sds('GET', '/Types', { paging: 'ocs' }) },
  { path: ['streams', 'type', 'get'], summary: 'Get an SDS type.', params: [...scope, typeId], http: sds('GET', '/Types/{typeId}') },
  {
    path: ['streams', 'type', 'create'],
    summary: 'Create an SDS type (an identical existing type is returned as is).',
    params: [...scope, typeId, body('definition', 'The SdsType as JSON (or file://path).', { type: 'json', required: true, example: { Id: 'Reading', SdsTypeCode: 1, Properties: [{ Id: 'Time', IsKey: true, SdsType: { SdsTypeCode: 16 } }, { Id: 'Value', SdsType: { SdsTypeCode: 14 } }] } })],
    http: sds('POST', '/Types/{typeId}', { bodyFrom: 'definition' }),
  },
  { path: ['streams', 'type', 'delete'], summary: 'Delete an SDS type.', params: [...scope, typeId], http: sds('DELETE', '/Types/{typeId}') },
  {
    path: ['streams', 'stream', 'list'],
    summary: 'List streams.',
    params: [...scope, query('search', 'A search expression (the OCS query parameter).', { key: 'query' }), communityHeader],
    http: sds('GET', '/Streams', { paging: 'ocs' }),
  },
  { path: ['streams', 'stream', 'get'], summary: 'Get a stream.', params: [...scope, streamId, communityHeader], http: sds('GET', '/Streams/{streamId}') },
  {
    path: ['streams', 'stream', 'create'],
    summary: 'Create a stream of a type (an identical existing stream is returned as is).',
    params: [
      ...scope,
      streamId,
      body('type-id', 'The SDS type of its events.', { key: 'TypeId', required: true }),
      body('name', 'The stream name.', { key: 'Name' }),
      body('description', 'The description.', { key: 'Description' }),
    ],
    http: sds('POST', '/Streams/{streamId}'),
  },
  { path: ['streams', 'stream', 'delete'], summary: 'Delete a stream and its events.', params: [...scope, streamId], http: sds('DELETE', '/Streams/{streamId}') },
  {
    path: ['streams', 'data', 'insert'],
    summary: 'Insert events (a JSON list); an event whose index exists is refused.',
    params: [...scope, streamId, body('events', 'The events as a JSON list (or file://path).', { type: 'json', required: true, example: [{ Time: '2026-01-01T00:00:00Z', Value: 1.5 }] })],
    http: sds('POST', '/Streams/{streamId}/Data', { bodyFrom: 'events' }),
  },
  {
    path: ['streams', 'data', 'update'],
    summary: 'Insert or replace events (a JSON list).',
    params: [...scope, streamId, body('events', 'The events as a JSON list (or file://path).', { type: 'json', required: true, example: [] })],
    http: sds('PUT', '/Streams/{streamId}/Data', { bodyFrom: 'events' }),
  },
  { path: ['streams', 'data', 'get'], summary: 'Read the events of a window.', params: [...scope, streamId, ...window, communityHeader], http: sds('GET', '/Streams/{streamId}/Data') },
  { path: ['streams', 'data', 'first'], summary: 'Read the first event.', params: [...scope, streamId, communityHeader], http: sds('GET', '/Streams/{streamId}/Data/First') },
  { path: ['streams', 'data', 'last'], summary: 'Read the last event.', params: [...scope, streamId, communityHeader], http: sds('GET', '/Streams/{streamId}/Data/Last') },
  { path: ['streams', 'data', 'delete'], summary: 'Remove the events of a window.', params: [...scope, streamId, ...window], http: sds('DELETE', '/Streams/{streamId}/Data') },
  { path: ['streams', 'acl', 'get'], summary: 'Get the access control list of a stream.', params: [...scope, streamId], http: sds('GET', '/Streams/{streamId}/AccessControl') },
  {
    path: ['streams', 'acl', 'set'],
    summary: 'Replace the access control list of a stream (e.g. to share it into a community).',
    params: [...scope, streamId, body('acl', 'The access control list as JSON (or file://path).', { type: 'json', required: true, example: { RoleTrusteeAccessControlEntries: [] } })],
    http: sds('PUT', '/Streams/{streamId}/AccessControl', { bodyFrom: 'acl' }),
  },
];
