import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { ErrorText, Field, Loading, useLoad } from '../../ui';

// Cost analysis of a tenancy (and, for a parent, its children) from the OCI Usage API's
// RequestSummarizedUsages (/20200107/usage), with the labels of OCI's own Cost Analysis screen.

const USAGE_API = '/20200107/usage';
const DAY = 86_400_000;

const GROUPINGS = [
  { key: 'subscriptionId', label: 'Subscription' },
  { key: 'service', label: 'Service' },
  { key: 'tenantName', label: 'Tenant name' },
] as const;
type Grouping = (typeof GROUPINGS)[number]['key'];

interface Query {
  start: string;
  end: string;
  granularity: 'DAILY' | 'MONTHLY';
  show: 'COST' | 'USAGE';
  grouping: Grouping;
}

interface UsageSummary {
  timeUsageStarted: string;
  timeUsageEnded: string;
  subscriptionId?: string;
  service?: string;
  tenantName?: string;
  computedQuantity: number;
  computedAmount?: number;
  unit?: string;
  currency?: string;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);
const firstOfMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const firstOfNextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/** The report window: whole UTC days, or whole months, from the start date to the end date included. */
function windowOf(q: Query): { from: number; until: number } {
  const start = dayOf(q.start);
  const end = dayOf(q.end);
  return q.granularity === 'MONTHLY' ? { from: firstOfMonth(start), until: firstOfNextMonth(end) } : { from: start, until: end + DAY };
}

const amount = (n: number) => n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const quantity = (n: number) => n.toLocaleString(undefined, { maximumFractionDigits: 6 });
/** The one value every item shares ('' when none has one), or undefined when they differ. */
const sameOf = (values: Array<string | undefined>) => {
  const distinct = new Set(values.filter((v): v is string => !!v));
  return distinct.size > 1 ? undefined : ([...distinct][0] ?? '');
};

export function CostAnalysis({ tenancyId }: { tenancyId: string }) {
  const today = Date.now() - (Date.now() % DAY);
  const [form, setForm] = useState<Query>({ start: isoDay(firstOfMonth(today)), end: isoDay(today), granularity: 'DAILY', show: 'COST', grouping: 'subscriptionId' });
  const [applied, setApplied] = useState<Query>(form);
  const [formError, setFormError] = useState('');
  const report = useLoad(async () => {
    const { from, until } = windowOf(applied);
    const res = await api<{ items: UsageSummary[] }>('POST', USAGE_API, {
      tenantId: tenancyId,
      timeUsageStarted: new Date(from).toISOString(),
      timeUsageEnded: new Date(until).toISOString(),
      granularity: applied.granularity,
      queryType: applied.show,
      groupBy: [applied.grouping],
    });
    return { query: applied, items: res.body.items };
  }, [tenancyId, applied]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (!form.start || !form.end || dayOf(form.end) < dayOf(form.start)) return setFormError('The end date is before the start date: choose an end date on or after it.');
    setFormError('');
    setApplied({ ...form });
  };
  const set = <K extends keyof Query>(key: K) => (value: Query[K]) => setForm({ ...form, [key]: value });

  const shown = report.data;
  const grouping = GROUPINGS.find((g) => g.key === shown?.query.grouping) ?? GROUPINGS[0];
  const items = shown?.items ?? [];
  const cost = shown?.query.show === 'COST';
  const unit = sameOf(items.map((i) => i.unit));
  const currency = sameOf(items.map((i) => i.currency));
  return (
    <section aria-labelledby="cost-analysis">
      <h2 id="cost-analysis">Cost analysis</h2>
      <form className="card" onSubmit={apply} aria-label="Cost analysis filters">
        <div className="row">
          <Field label="Start date">
            <input type="date" required value={form.start} onChange={(e) => set('start')(e.target.value)} />
          </Field>
          <Field label="End date">
            <input type="date" required value={form.end} onChange={(e) => set('end')(e.target.value)} />
          </Field>
          <Field label="Granularity">
            <select value={form.granularity} onChange={(e) => set('granularity')(e.target.value as Query['granularity'])}>
              <option value="DAILY">Daily</option>
              <option value="MONTHLY">Monthly</option>
            </select>
          </Field>
          <Field label="Show">
            <select value={form.show} onChange={(e) => set('show')(e.target.value as Query['show'])}>
              <option value="COST">Cost</option>
              <option value="USAGE">Usage</option>
            </select>
          </Field>
          <Field label="Grouping dimensions">
            <select value={form.grouping} onChange={(e) => set('grouping')(e.target.value as Grouping)}>
              {GROUPINGS.map((g) => (
                <option key={g.key} value={g.key}>
                  {g.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {formError ? (
          <p className="error" role="alert">
            {formError}
          </p>
        ) : null}
        <button type="submit" className="primary">
          Apply
        </button>
      </form>
      <ErrorText error={report.error} />
      {!shown ? (
        report.loading ? <Loading what="the cost report" /> : null
      ) : items.length === 0 ? (
        <p className="empty">No usage from {shown.query.start} to {shown.query.end}.</p>
      ) : (
        <table>
          <caption>
            {cost ? 'Cost' : 'Usage'} by {grouping.label.toLowerCase()}, {shown.query.granularity === 'DAILY' ? 'per day' : 'per month'} (UTC), {shown.query.start} to {shown.query.end}
          </caption>
          <thead>
            <tr>
              <th scope="col">{shown.query.granularity === 'DAILY' ? 'Date' : 'Month'}</th>
              <th scope="col">{grouping.label}</th>
              <th scope="col">Usage</th>
              {cost ? <th scope="col">Cost</th> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((i) => {
              const value = i[grouping.key];
              return (
                <tr key={`${i.timeUsageStarted}/${value}`}>
                  <td>{shown.query.granularity === 'DAILY' ? i.timeUsageStarted.slice(0, 10) : i.timeUsageStarted.slice(0, 7)}</td>
                  <td>{grouping.key === 'subscriptionId' && value ? <code>{value}</code> : (value ?? '—')}</td>
                  <td>{`${quantity(i.computedQuantity)}${i.unit ? ` ${i.unit}` : ''}`}</td>
                  {cost ? <td>{i.computedAmount === undefined ? '—' : `${amount(i.computedAmount)}${i.currency ? ` ${i.currency}` : ''}`}</td> : null}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                Total
              </th>
              <td>{unit === undefined ? 'Several units' : `${quantity(items.reduce((a, i) => a + i.computedQuantity, 0))} ${unit}`.trim()}</td>
              {cost ? <td>{currency === undefined ? 'Several currencies' : `${amount(items.reduce((a, i) => a + (i.computedAmount ?? 0), 0))} ${currency}`.trim()}</td> : null}
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}
