import { body, describeGroup, type CommandSpec } from '../spec.js';

// `tenantry usage-api …`: the OCI Usage API's cost and usage report (/20200107/usage), named as
// `oci usage-api usage-summary request-summarized-usages`. A tenancy reads its own usage; a parent
// also its children's.

describeGroup('usage-api', 'The OCI Usage API (/20200107): usage and cost of a tenancy and, for a parent, of its children.');
describeGroup('usage-api usage-summary', 'Summarized usage and cost.');

export const usageApiCommands: CommandSpec[] = [
  {
    path: ['usage-api', 'usage-summary', 'request-summarized-usages'],
    summary: 'Report usage (USAGE) or usage and cost (COST) per time window, grouped as asked.',
    description:
      'Windows are UTC hours, days or months (HOURLY, DAILY, MONTHLY: the start and end must be aligned to them) or the whole span (TOTAL). Usage is attributed to the subscription the tenancy was mapped to at the time of use and priced with the rate card of that time.',
    params: [
      body('tenant-id', 'The OCID of your tenancy.', { required: true, profileKey: 'tenancy' }),
      body('time-usage-started', 'The start of the report, UTC (2026-11-01T00:00:00Z).', { required: true }),
      body('time-usage-ended', 'The end of the report (exclusive), UTC.', { required: true }),
      body('granularity', 'The size of each window.', { required: true, choices: ['HOURLY', 'DAILY', 'MONTHLY', 'TOTAL'] }),
      body('query-type', 'USAGE (quantities) or COST (quantities, amounts and currency).', { choices: ['USAGE', 'COST'], default: 'USAGE' }),
      body('group-by', 'A JSON list of tenantId, tenantName, service, subscriptionId, unit.', { type: 'json', example: ['service'] }),
      body('is-aggregate-by-time', 'Accepted for the OCI CLI\'s sake; windows always follow --granularity.', { type: 'boolean' }),
    ],
    examples: [
      'tenantry usage-api usage-summary request-summarized-usages --profile acme --time-usage-started 2026-11-01T00:00:00Z --time-usage-ended 2026-12-01T00:00:00Z --granularity MONTHLY --query-type COST --group-by \'["tenantName","service"]\' --query data.items --output table',
    ],
    http: { auth: 'oci', method: 'POST', url: '/20200107/usage' },
  },
];
