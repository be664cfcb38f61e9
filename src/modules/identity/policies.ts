import { invalid } from '../../platform/errors.js';

/** OCI verbs are cumulative: each includes the ones before it. */
export const VERBS = ['inspect', 'read', 'use', 'manage'] as const;
export type Verb = (typeof VERBS)[number];

export interface PolicyStatement {
  /** A group name, or null for `any-user`. */
  group: string | null;
  verb: Verb;
  /** Canonical resource type (see canonicalResourceType). */
  resourceType: string;
  /** An optional `where <variable> = '<value>'` (or `!=`) condition. */
  condition: { variable: string; operator: '=' | '!='; value: string } | null;
}

/** Resource types that cover others: a family covers every type with its prefix. */
const FAMILIES: Record<string, string> = {
  'organizations-family': 'organizations-',
  'governance-rules-family': 'organizations-governance-rule',
};

/** The policy reference lists types in the singular while examples use plurals: accept both. */
export function canonicalResourceType(type: string): string {
  const lower = type.toLowerCase();
  if (lower.endsWith('-family') || lower === 'all-resources') return lower;
  return lower.endsWith('s') && !lower.endsWith('ss') ? lower.slice(0, -1) : lower;
}

const STATEMENT =
  /^allow\s+(?:group\s+(?:'([^']+)'|"([^"]+)"|([A-Za-z0-9_.@-]+))|(any-user))\s+to\s+(\w+)\s+([a-z0-9-]+)\s+in\s+tenancy(?:\s+where\s+([a-z0-9.]+)\s*(!?=)\s*'([^']*)')?\s*$/i;

/** Parses one statement; a statement it cannot honour exactly is refused, never widened. */
export function parseStatement(text: string): PolicyStatement {
  const match = STATEMENT.exec(text.trim());
  if (!match) {
    throw invalid(
      'INVALID_POLICY_STATEMENT',
      `"${text}" is not a statement of the form: Allow group <name> to <inspect|read|use|manage> <resource-type> in tenancy [where <variable> = '<value>']`,
    );
  }
  const [, quoted1, quoted2, bare, anyUser, verb, resourceType, variable, operator, value] = match;
  const lowerVerb = verb.toLowerCase();
  if (!(VERBS as readonly string[]).includes(lowerVerb)) {
    throw invalid('INVALID_POLICY_STATEMENT', `"${verb}" in "${text}" is not a verb; use inspect, read, use or manage`);
  }
  return {
    group: anyUser ? null : (quoted1 ?? quoted2 ?? bare),
    verb: lowerVerb as Verb,
    resourceType: canonicalResourceType(resourceType),
    condition: variable ? { variable: variable.toLowerCase(), operator: operator as '=' | '!=', value } : null,
  };
}

export interface AccessRequest {
  verb: Verb;
  resourceType: string;
  /** Values of policy variables such as `target.tenant.id`. */
  variables?: Record<string, string>;
}

function covers(statementType: string, requested: string): boolean {
  if (statementType === 'all-resources' || statementType === requested) return true;
  const prefix = FAMILIES[statementType];
  return prefix !== undefined && requested.startsWith(prefix);
}

/** True when one of the statements grants the request to a member of `groups`. */
export function isAllowed(statements: readonly PolicyStatement[], groups: readonly string[], request: AccessRequest): boolean {
  const wanted = canonicalResourceType(request.resourceType);
  const needed = VERBS.indexOf(request.verb);
  const inGroup = new Set(groups.map((g) => g.toLowerCase()));
  return statements.some((s) => {
    if (s.group !== null && !inGroup.has(s.group.toLowerCase())) return false;
    if (VERBS.indexOf(s.verb) < needed || !covers(s.resourceType, wanted)) return false;
    if (!s.condition) return true;
    const actual = request.variables?.[s.condition.variable];
    if (actual === undefined) return false;
    return s.condition.operator === '=' ? actual === s.condition.value : actual !== s.condition.value;
  });
}
