import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { useSession } from '../../session';
import { ErrorText, Field, formatTime, Loading, useAction, useLoad } from '../../ui';
import { CostAnalysis } from './CostAnalysis';
import { listPage, OCI, organizationOf, words, type OrganizationTenancy } from './model';

interface Subscription {
  id: string;
  serviceName: string;
  subscriptionNumber: string;
  currencyCode: string;
  lifecycleState: string;
  compartmentId: string;
}

interface Mapping {
  id: string;
  subscriptionId: string;
  compartmentId: string;
  isExplicitlyAssigned: boolean;
  lifecycleState: string;
  timeCreated: string;
}

export function Subscriptions() {
  const { tenant } = useSession();
  const data = useLoad(async () => {
    const subscriptions = (await listPage<Subscription>(`${OCI}/subscriptions`, { compartmentId: tenant.ocid, limit: 100 })).items;
    const org = await organizationOf(tenant.ocid);
    const tenancies = org ? (await listPage<OrganizationTenancy>(`${OCI}/organizations/${encodeURIComponent(org.id)}/tenancies`, { limit: 100 })).items : [];
    const mappings = (
      await Promise.all(subscriptions.map((s) => listPage<Mapping>(`${OCI}/subscriptionMappings`, { subscriptionId: s.id, limit: 100 }).then((r) => r.items)))
    ).flat();
    return { subscriptions, tenancies, mappings, isParent: org?.compartmentId === tenant.ocid, defaultId: org?.defaultUcmSubscriptionId };
  }, [tenant.ocid]);
  const [child, setChild] = useState('');
  const [subscriptionId, setSubscriptionId] = useState('');
  const action = useAction();
  const [mapped, setMapped] = useState('');
  const map = async (e: FormEvent) => {
    e.preventDefault();
    setMapped('');
    let result: Mapping | undefined;
    if (await action.run(async () => (result = (await api<Mapping>('POST', `${OCI}/subscriptionMappings`, { compartmentId: child, subscriptionId })).body))) {
      const name = data.data?.tenancies.find((t) => t.tenancyId === child)?.name ?? child;
      setMapped(`${name} is now mapped to subscription ${result!.subscriptionId} (${words(result!.lifecycleState).toLowerCase()}).`);
      data.reload();
    }
  };
  if (data.error && !data.data) return <ErrorText error={data.error} />;
  if (!data.data) return <Loading what="subscriptions" />;
  const names = new Map(data.data.tenancies.map((t) => [t.tenancyId, t.name ?? t.tenancyId]));
  return (
    <>
      <h1>Subscriptions</h1>
      <table>
        <caption>Subscriptions of your tenancy</caption>
        <thead>
          <tr>
            <th scope="col">Subscription</th>
            <th scope="col">Service</th>
            <th scope="col">Currency</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {data.data.subscriptions.map((s) => (
            <tr key={s.id}>
              <td>
                <code>{s.id}</code>
                {s.id === data.data!.defaultId ? ' (organization default)' : ''}
              </td>
              <td>{s.serviceName}</td>
              <td>{s.currencyCode}</td>
              <td>{words(s.lifecycleState)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Subscription mapping</h2>
      {data.data.mappings.length === 0 ? (
        <p>No tenancy is mapped to these subscriptions.</p>
      ) : (
        <table>
          <caption className="sr-only">Subscription mappings</caption>
          <thead>
            <tr>
              <th scope="col">Tenancy</th>
              <th scope="col">Subscription</th>
              <th scope="col">Mapping</th>
              <th scope="col">Status</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {data.data.mappings.map((m) => (
              <tr key={m.id}>
                <td>{names.get(m.compartmentId) ?? m.compartmentId}</td>
                <td>
                  <code>{m.subscriptionId}</code>
                </td>
                <td>{m.isExplicitlyAssigned ? 'Explicit' : 'Default'}</td>
                <td>{words(m.lifecycleState)}</td>
                <td>{formatTime(m.timeCreated)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.data.isParent ? (
        <form className="card" onSubmit={map} aria-label="Map a tenancy to a subscription">
          <Field label="Tenancy">
            <select required value={child} onChange={(e) => setChild(e.target.value)}>
              <option value="">Choose a tenancy</option>
              {data.data.tenancies
                .filter((t) => t.role === 'CHILD')
                .map((t) => (
                  <option key={t.tenancyId} value={t.tenancyId}>
                    {t.name ?? t.tenancyId}
                  </option>
                ))}
            </select>
          </Field>
          <Field label="Subscription OCID" hint="A subscription of the organization, or the child tenancy's own subscription.">
            <input required maxLength={255} value={subscriptionId} onChange={(e) => setSubscriptionId(e.target.value)} />
          </Field>
          <ErrorText error={action.error} />
          {mapped ? (
            <p role="status" className="notice">
              {mapped}
            </p>
          ) : null}
          <button type="submit" disabled={action.busy}>
            Map subscription
          </button>
        </form>
      ) : null}
      <CostAnalysis tenancyId={tenant.ocid} />
    </>
  );
}
