import { ApiError } from '../../api';
import { listPage } from './model';

// Governance rules live in the /20220504 API. This server does not implement it yet: every call
// answers 404, which the console shows as an empty state instead of made-up rules.

export const RULE_FILTERS = ['All', 'Allowed regions', 'Quota policies', 'Tags'] as const;
export type RuleFilter = (typeof RULE_FILTERS)[number];

export interface GovernanceRule {
  id: string;
  displayName: string;
  type: string;
  typeLabel: RuleFilter;
  description?: string;
  organizationWide: boolean;
  template?: unknown;
}

const TYPE_LABELS: Record<string, RuleFilter> = { ALLOWED_REGIONS: 'Allowed regions', QUOTA: 'Quota policies', TAG: 'Tags' };

interface WireRule {
  id: string;
  displayName: string;
  type: string;
  description?: string;
  template?: unknown;
}

export async function listGovernanceRules(compartmentId: string): Promise<GovernanceRule[]> {
  try {
    const { items } = await listPage<WireRule>('/20220504/governanceRules', { compartmentId });
    return items.map((r) => ({ ...r, typeLabel: TYPE_LABELS[r.type] ?? 'All', organizationWide: false }));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 501)) return [];
    throw error;
  }
}
