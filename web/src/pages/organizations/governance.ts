import { ApiError } from '../../api';
import { listPage } from './model';

// Governance rules live in the /20220504 API. A server without it answers 404 (or 501): the
// console then shows an empty state instead of made-up rules.

export const RULE_FILTERS = ['All', 'Allowed regions', 'Quota policies', 'Tags'] as const;
export type RuleFilter = (typeof RULE_FILTERS)[number];
const GR = '/20220504';

export interface GovernanceRule {
  id: string;
  displayName: string;
  type: string;
  typeLabel: RuleFilter;
  description?: string;
  /** Included for every tenancy of the organization (an inclusion criterion of type ALL). */
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

/** The tenancy's governance rules; `served` is false when the server has no Governance Rules API. */
export async function listGovernanceRules(compartmentId: string): Promise<{ served: boolean; rules: GovernanceRule[] }> {
  let items: WireRule[];
  try {
    items = (await listPage<WireRule>(`${GR}/governanceRules`, { compartmentId, limit: 100 })).items;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 501)) return { served: false, rules: [] };
    throw error;
  }
  const rules = await Promise.all(
    items.map(async (r) => {
      const criteria = (await listPage<{ type: string }>(`${GR}/inclusionCriteria`, { governanceRuleId: r.id, limit: 100 })).items;
      return { ...r, typeLabel: TYPE_LABELS[r.type] ?? 'All', organizationWide: criteria.some((c) => c.type === 'ALL') };
    }),
  );
  return { served: true, rules };
}
