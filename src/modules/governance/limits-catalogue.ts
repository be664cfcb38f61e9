// The limits catalogue: the service limits this service knows, their default values and the quota
// family and quota name that cover each. Governance QUOTA statements are checked against it (a
// family or quota name outside it is refused) and the Limits API shape (limit definitions, limit
// values, resource availability) is read from it. Documented in docs/governance.md (Limits catalogue).

export interface LimitDefinition {
  /** The Limits API service name (also the quota family). */
  service: string;
  /** The limit name; the quota of the same name covers it. */
  name: string;
  description: string;
  scopeType: 'GLOBAL' | 'REGION' | 'AD';
  /** A tenancy's service limit when nothing else was set: a child keeps its own. */
  defaultValue: number;
}

export interface QuotaFamily {
  name: string;
  description: string;
  limits: LimitDefinition[];
}

const family = (name: string, description: string, limits: Array<Omit<LimitDefinition, 'service'>>): QuotaFamily => ({
  name,
  description,
  limits: limits.map((l) => ({ ...l, service: name })),
});

export const QUOTA_FAMILIES: readonly QuotaFamily[] = Object.freeze([
  family('compute-core', 'Compute cores', [
    { name: 'standard-e4-core-count', description: 'VM.Standard.E4 cores', scopeType: 'AD', defaultValue: 100 },
    { name: 'standard-e5-core-count', description: 'VM.Standard.E5 cores', scopeType: 'AD', defaultValue: 100 },
    { name: 'standard-a1-core-count', description: 'VM.Standard.A1 (Arm) cores', scopeType: 'AD', defaultValue: 80 },
    { name: 'standard3-core-count', description: 'VM.Standard3 cores', scopeType: 'AD', defaultValue: 50 },
    { name: 'gpu-a10-count', description: 'GPU.A10 GPUs', scopeType: 'AD', defaultValue: 0 },
  ]),
  family('compute-memory', 'Compute memory', [
    { name: 'standard-e4-memory-count', description: 'VM.Standard.E4 memory (GB)', scopeType: 'AD', defaultValue: 1600 },
    { name: 'standard-a1-memory-count', description: 'VM.Standard.A1 memory (GB)', scopeType: 'AD', defaultValue: 480 },
  ]),
  family('block-storage', 'Block volumes', [
    { name: 'total-storage-gb', description: 'Total block volume storage (GB)', scopeType: 'AD', defaultValue: 102400 },
    { name: 'volume-count', description: 'Block volumes', scopeType: 'AD', defaultValue: 1000 },
    { name: 'backup-count', description: 'Volume backups', scopeType: 'REGION', defaultValue: 100000 },
  ]),
  family('object-storage', 'Object storage', [{ name: 'storage-bytes', description: 'Object storage bytes', scopeType: 'REGION', defaultValue: 1e15 }]),
  family('vcn', 'Virtual cloud networks', [
    { name: 'vcn-count', description: 'Virtual cloud networks', scopeType: 'REGION', defaultValue: 50 },
    { name: 'subnet-count', description: 'Subnets', scopeType: 'REGION', defaultValue: 300 },
  ]),
  family('database', 'Databases', [
    { name: 'atp-ocpu-count', description: 'Autonomous Transaction Processing OCPUs', scopeType: 'REGION', defaultValue: 128 },
    { name: 'adw-ocpu-count', description: 'Autonomous Data Warehouse OCPUs', scopeType: 'REGION', defaultValue: 128 },
  ]),
  family('load-balancer', 'Load balancers', [{ name: 'lb-flexible-count', description: 'Flexible load balancers', scopeType: 'REGION', defaultValue: 50 }]),
  family('resource-manager', 'Resource Manager', [
    { name: 'stack-count', description: 'Stacks', scopeType: 'REGION', defaultValue: 1000 },
    { name: 'configuration-source-provider-count', description: 'Configuration source providers', scopeType: 'REGION', defaultValue: 100 },
  ]),
]);

export const findFamily = (name: string): QuotaFamily | undefined => QUOTA_FAMILIES.find((f) => f.name === name);
