import { invalidQuotaStatement, invalidTemplate } from './governance.errors.js';
import type { Template } from './governance.schemas.js';
import { parseQuotaStatements, QuotaStatementError } from './quota-statements.js';

// What a template must say beyond its shape: a QUOTA template's statements parse against the
// limits catalogue, an ALLOWED_REGIONS template names regions this service knows, and a TAG
// template's defaults name its own tags with values its validators allow.

export function validateTemplate(type: string, template: Template, knownRegions: readonly string[]): Template {
  if (template.type !== type) throw invalidTemplate(`the template's type ${template.type} does not match the rule's type ${type}`);
  switch (template.type) {
    case 'QUOTA':
      try {
        parseQuotaStatements(template.statements, knownRegions);
      } catch (error) {
        if (error instanceof QuotaStatementError) throw invalidQuotaStatement(error.message);
        throw error;
      }
      return template;
    case 'ALLOWED_REGIONS': {
      const unknown = template.regions.filter((r) => !knownRegions.includes(r));
      if (unknown.length > 0) throw invalidTemplate(`unknown regions ${unknown.join(', ')}; known regions: ${knownRegions.join(', ')}`);
      return { ...template, regions: [...new Set(template.regions)] };
    }
    case 'TAG': {
      const tags = template.tags ?? [];
      const names = new Set<string>();
      for (const tag of tags) {
        if (names.has(tag.name.toLowerCase())) throw invalidTemplate(`the tag ${tag.name} is defined twice in the namespace ${template.name}`);
        names.add(tag.name.toLowerCase());
      }
      for (const d of template.tagDefaults ?? []) {
        const tag = tags.find((t) => t.name.toLowerCase() === d.tagName.toLowerCase());
        if (!tag) throw invalidTemplate(`the tag default names ${d.tagName}, which is not a tag of the namespace ${template.name}`);
        if (tag.validator?.validatorType === 'ENUM' && !(tag.validator.values ?? []).includes(d.value)) {
          throw invalidTemplate(`the default value '${d.value}' of ${d.tagName} is not one of its allowed values (${(tag.validator.values ?? []).join(', ')})`);
        }
      }
      return template;
    }
  }
}
