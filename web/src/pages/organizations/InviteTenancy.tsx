import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { useSession } from '../../session';
import { ErrorText, Field, Pane, useAction, useLoad } from '../../ui';
import { WorkRequestProgress } from './WorkRequestProgress';
import { OCI, words, type SenderInvitation } from './model';
import { listGovernanceRules, RULE_FILTERS, type GovernanceRule, type RuleFilter } from './governance';

const STEPS = ['Tenancy details', 'Governance rules', 'Review'] as const;

interface Tag {
  key: string;
  value: string;
}

/** The three-step Invite tenancy panel: details, governance rules, review. */
export function InviteTenancy({ onClose, onSent }: { onClose: () => void; onSent: () => void }) {
  const { tenant } = useSession();
  const [step, setStep] = useState(0);
  const [name, setName] = useState('');
  const [recipient, setRecipient] = useState('');
  const [email, setEmail] = useState('');
  const [emailAgain, setEmailAgain] = useState('');
  const [advanced, setAdvanced] = useState(false);
  const [tags, setTags] = useState<Tag[]>([{ key: '', value: '' }]);
  const [stepError, setStepError] = useState('');
  const [filter, setFilter] = useState<RuleFilter>('All');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [requireGovernance, setRequireGovernance] = useState(true);
  const [sent, setSent] = useState<{ invitation: SenderInvitation; workRequestId: string | null } | null>(null);
  const [finished, setFinished] = useState('');
  const action = useAction();
  const rules = useLoad(() => listGovernanceRules(tenant.ocid), [tenant.ocid]);

  const next = (e: FormEvent) => {
    e.preventDefault();
    setStepError('');
    if (step === 0) {
      if (!/^ocid1\.tenancy\./.test(recipient.trim())) return setStepError('The recipient tenancy OCID starts with ocid1.tenancy.');
      if (email.trim().toLowerCase() !== emailAgain.trim().toLowerCase()) return setStepError('The two recipient email addresses differ: enter the same address twice.');
    }
    if (step === 1 && !requireGovernance && pickedRules.length > 0) {
      return setStepError('Governance rules apply only to a tenancy that joins organization governance: require it, or clear the selected rules.');
    }
    setStep(step + 1);
  };

  const freeformTags = Object.fromEntries(tags.filter((t) => t.key.trim()).map((t) => [t.key.trim(), t.value]));
  const allRules = rules.data?.rules ?? [];
  const orgWide = allRules.filter((r) => r.organizationWide);
  const selectedRules = allRules.filter((r) => r.organizationWide || chosen.has(r.id));
  // Organization-wide rules reach every tenancy that joins governance on their own; the others
  // picked here travel with the invitation and are attached when the recipient joins.
  const pickedRules = selectedRules.filter((r) => !r.organizationWide);

  const send = async () => {
    await action.run(async () => {
      const res = await api<SenderInvitation>('POST', `${OCI}/senderInvitations`, {
        compartmentId: tenant.ocid,
        recipientTenancyId: recipient.trim(),
        ...(email.trim() ? { recipientEmailAddress: email.trim() } : {}),
        ...(name.trim() ? { displayName: name.trim() } : {}),
        subjects: requireGovernance ? ['LINK', 'GOVERNANCE'] : ['LINK'],
        ...(Object.keys(freeformTags).length ? { freeformTags } : {}),
        ...(requireGovernance && pickedRules.length ? { governanceRuleIds: pickedRules.map((r) => r.id) } : {}),
      });
      setSent({ invitation: res.body, workRequestId: res.headers.get('opc-work-request-id') });
    });
  };

  return (
    <Pane title="Invite tenancy" onClose={onClose}>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((s, i) => (
          <li key={s} aria-current={i === step ? 'step' : undefined}>
            {s}
          </li>
        ))}
      </ol>
      {step === 0 ? (
        <form onSubmit={next} aria-label="Tenancy details">
          <Field label="Invitation name">
            <input maxLength={255} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Recipient tenancy OCID">
            <input required maxLength={255} value={recipient} onChange={(e) => setRecipient(e.target.value)} />
          </Field>
          <Field label="Recipient email">
            <input type="email" required maxLength={320} value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label="Confirm recipient email">
            <input type="email" required maxLength={320} value={emailAgain} onChange={(e) => setEmailAgain(e.target.value)} />
          </Field>
          <label className="check">
            <input type="checkbox" checked={advanced} onChange={(e) => setAdvanced(e.target.checked)} />
            Show advanced options
          </label>
          {advanced ? (
            <fieldset>
              <legend>Tags</legend>
              {tags.map((t, i) => (
                <div className="row" key={i}>
                  <Field label={`Tag key ${i + 1}`}>
                    <input maxLength={100} value={t.key} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))} />
                  </Field>
                  <Field label={`Tag value ${i + 1}`}>
                    <input maxLength={256} value={t.value} onChange={(e) => setTags(tags.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))} />
                  </Field>
                </div>
              ))}
              <button type="button" onClick={() => setTags([...tags, { key: '', value: '' }])}>
                Add tag
              </button>
            </fieldset>
          ) : null}
          {stepError ? (
            <p className="error" role="alert">
              {stepError}
            </p>
          ) : null}
          <button type="submit" className="primary">
            Next
          </button>
        </form>
      ) : null}
      {step === 1 ? (
        <form onSubmit={next} aria-label="Governance rules">
          <fieldset className="filter">
            <legend>Show</legend>
            {RULE_FILTERS.map((f) => (
              <label key={f} className="radio">
                <input type="radio" name="rule-filter" checked={filter === f} onChange={() => setFilter(f)} />
                {f}
              </label>
            ))}
          </fieldset>
          <RulesTable rules={rules.data?.rules} error={rules.error} filter={filter} chosen={chosen} onToggle={(id) => setChosen(toggle(chosen, id))} />
          <label className="check">
            <input type="checkbox" checked={requireGovernance} onChange={(e) => setRequireGovernance(e.target.checked)} />
            Require tenancy to join organization governance
          </label>
          {stepError ? (
            <p className="error" role="alert">
              {stepError}
            </p>
          ) : null}
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setStepError('');
                setStep(0);
              }}
            >
              Back
            </button>
            <button type="submit" className="primary">
              Next
            </button>
          </div>
        </form>
      ) : null}
      {step === 2 ? (
        <section aria-label="Review">
          <h3>Tenancy details</h3>
          <dl className="facts">
            <dt>Invitation name</dt>
            <dd>{name || '—'}</dd>
            <dt>Recipient tenancy OCID</dt>
            <dd>
              <code>{recipient}</code>
            </dd>
            <dt>Recipient email</dt>
            <dd>{email}</dd>
            <dt>Tags</dt>
            <dd>{Object.keys(freeformTags).length ? Object.entries(freeformTags).map(([k, v]) => `${k}=${v}`).join(', ') : 'None'}</dd>
          </dl>
          <h3>Governance rules</h3>
          <dl className="facts">
            <dt>Join organization governance</dt>
            <dd>{requireGovernance ? 'Required' : 'Not required'}</dd>
            <dt>Rules</dt>
            <dd>{selectedRules.length ? selectedRules.map((r) => r.displayName).join(', ') : 'None selected'}</dd>
          </dl>
          {orgWide.length ? <p className="muted">Organization-wide rules apply to every tenancy that joins governance.</p> : null}
          <ErrorText error={action.error} />
          {!sent ? (
            <div className="actions">
              <button type="button" onClick={() => setStep(1)}>
                Back
              </button>
              <button type="button" className="primary" disabled={action.busy} onClick={send}>
                Invite tenancy
              </button>
            </div>
          ) : (
            <>
              {sent.workRequestId ? (
                <WorkRequestProgress
                  id={sent.workRequestId}
                  label="Sending the invitation"
                  onFinished={(wr) => {
                    setFinished(wr.status === 'SUCCEEDED' ? 'The invitation is sent: the recipient tenancy can now accept it.' : `Sending the invitation ${words(wr.status).toLowerCase()}.`);
                    onSent();
                  }}
                />
              ) : null}
              {finished ? (
                <p role="status" className="notice">
                  {finished}
                </p>
              ) : null}
              <button type="button" onClick={onClose}>
                Close
              </button>
            </>
          )}
        </section>
      ) : null}
    </Pane>
  );
}

const toggle = (set: Set<string>, id: string) => {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
};

function RulesTable(props: { rules?: GovernanceRule[]; error: unknown; filter: RuleFilter; chosen: Set<string>; onToggle: (id: string) => void }) {
  const { rules, error, filter, chosen, onToggle } = props;
  if (error) return <ErrorText error={error} />;
  const shown = (rules ?? []).filter((r) => filter === 'All' || r.typeLabel === filter);
  if (!rules || rules.length === 0) return <p className="empty">No governance rules on this server yet.</p>;
  return (
    <table>
      <caption className="sr-only">Governance rules</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="sr-only">Selected</span>
          </th>
          <th scope="col">Rule</th>
          <th scope="col">Type</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => (
          <tr key={r.id}>
            <td>
              <input
                type="checkbox"
                aria-label={`Select ${r.displayName}`}
                checked={r.organizationWide || chosen.has(r.id)}
                disabled={r.organizationWide}
                onChange={() => onToggle(r.id)}
              />
            </td>
            <td>
              {r.displayName}
              {r.organizationWide ? ' (organization-wide)' : ''}
            </td>
            <td>{r.typeLabel}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
