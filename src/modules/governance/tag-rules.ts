import type { Executor } from '../../platform/db/index.js';
import { enforcedRulesOf } from './attachments.service.js';
import { tagRefused } from './governance.errors.js';
import type { Template } from './governance.schemas.js';

type TagTemplate = Extract<Template, { type: 'TAG' }>;
type DefinedTags = Record<string, Record<string, unknown>>;

/**
 * Checks the defined tags a governed tenancy writes against the TAG rules its organization enforces
 * on it, and fills in their defaults. In a namespace a rule defines: every tag must be one of the
 * rule's tags, an ENUM tag's value one of its values, and a required tag default present; a missing
 * tag with a non-required default gets the default. Namespaces no rule defines are left alone.
 * Returns the tags to store.
 */
export async function applyTagRules(db: Executor, tenantId: string, definedTags: DefinedTags): Promise<DefinedTags> {
  const rules = await enforcedRulesOf(db, tenantId, 'TAG');
  if (rules.length === 0) return definedTags;
  const result: DefinedTags = { ...definedTags };
  for (const row of rules) {
    const template = JSON.parse(row.rule_template) as TagTemplate;
    const nsKey = Object.keys(result).find((k) => k.toLowerCase() === template.name.toLowerCase()) ?? template.name;
    const given = { ...(result[nsKey] ?? {}) };
    const tags = template.tags ?? [];
    for (const [key, value] of Object.entries(given)) {
      const tag = tags.find((t) => t.name.toLowerCase() === key.toLowerCase());
      if (!tag) throw tagRefused(`tag ${template.name}.${key} is not defined by the governance rules of this tenancy's organization (defined: ${tags.map((t) => t.name).join(', ') || 'none'})`);
      if (tag.validator?.validatorType === 'ENUM' && !(tag.validator.values ?? []).includes(String(value))) {
        throw tagRefused(`tag ${template.name}.${tag.name} may only be ${(tag.validator.values ?? []).join(', ')}; '${String(value)}' is not allowed`);
      }
    }
    for (const d of template.tagDefaults ?? []) {
      const present = Object.keys(given).some((k) => k.toLowerCase() === d.tagName.toLowerCase());
      if (present) continue;
      if (d.isRequired) throw tagRefused(`tag ${template.name}.${d.tagName} is required by the governance rules of this tenancy's organization`);
      given[d.tagName] = d.value;
    }
    if (Object.keys(given).length > 0) result[nsKey] = given;
  }
  return result;
}
