import { useState } from 'react';
import { useSession } from '../../session';
import { ErrorText, Loading, useLoad } from '../../ui';
import { listGovernanceRules, RULE_FILTERS, type RuleFilter } from './governance';

export function GovernanceRules() {
  const { tenant } = useSession();
  const rules = useLoad(() => listGovernanceRules(tenant.ocid), [tenant.ocid]);
  const [filter, setFilter] = useState<RuleFilter>('All');
  const [open, setOpen] = useState<string | null>(null);
  const shown = (rules.data?.rules ?? []).filter((r) => filter === 'All' || r.typeLabel === filter);
  return (
    <>
      <h1>Governance Rules</h1>
      <p className="muted">Rules of the organization: allowed regions, quota policies and tags, attached to the tenancies that joined organization governance.</p>
      <fieldset className="filter">
        <legend>Show</legend>
        {RULE_FILTERS.map((f) => (
          <label key={f} className="radio">
            <input type="radio" name="governance-filter" checked={filter === f} onChange={() => setFilter(f)} />
            {f}
          </label>
        ))}
      </fieldset>
      <ErrorText error={rules.error} />
      {rules.loading && !rules.data ? (
        <Loading what="governance rules" />
      ) : shown.length === 0 ? (
        <p className="empty">
          {rules.data?.served === false
            ? 'No governance rules on this server yet: it does not serve the Governance Rules API (/20220504).'
            : (rules.data?.rules.length ?? 0) === 0
              ? 'No governance rules on this server yet.'
              : 'No governance rule of this type.'}
        </p>
      ) : (
        <ul className="rules">
          {shown.map((r) => (
            <li key={r.id}>
              <button type="button" className="link" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                {r.displayName} ({r.typeLabel}{r.organizationWide ? ', organization-wide' : ''})
              </button>
              {open === r.id ? <pre>{JSON.stringify(r.template ?? {}, null, 2)}</pre> : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
