import { useState, type FormEvent } from 'react';
import { api, get, query } from '../../api';
import { navigate } from '../../router';
import { useSession } from '../../session';
import { ErrorText, Field, Loading, Pager, useAction, useLoad } from '../../ui';
import { OCS, PAGE_SIZE, SHARING_LABELS, type Community } from './model';

export function CommunitiesOverview() {
  const [page, setPage] = useState(0);
  const list = useLoad(() => get<Community[]>(`${OCS}/Communities${query({ skip: page * PAGE_SIZE, count: PAGE_SIZE + 1 })}`), [page]);
  const [creating, setCreating] = useState(false);
  const rows = list.data?.slice(0, PAGE_SIZE) ?? [];
  return (
    <>
      <h1>Communities</h1>
      <p className="muted">Communities your tenant belongs to. Open one with Details.</p>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
          Create Community
        </button>
      </div>
      {creating ? <CreateCommunity onCreated={(c) => navigate(`/communities/${c.Id}`)} /> : null}
      <ErrorText error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="communities" />
      ) : rows.length === 0 ? (
        <p>Your tenant is in no community yet. Create one, or accept an invitation from its email link.</p>
      ) : (
        <table>
          <caption className="sr-only">Communities</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Description</th>
              <th scope="col">Tenants</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.Id}>
                <td>{c.DisplayName || c.Name}</td>
                <td>{c.Description}</td>
                <td>{c.Tenants.length}</td>
                <td>{c.Tenants.some((t) => t.Status === 'Paused') ? SHARING_LABELS.Paused : SHARING_LABELS.Active}</td>
                <td>
                  <button type="button" onClick={() => navigate(`/communities/${c.Id}`)} aria-label={`Details of ${c.DisplayName || c.Name}`}>
                    Details
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Communities" page={page} hasNext={(list.data?.length ?? 0) > PAGE_SIZE} onPage={setPage} />
    </>
  );
}

function CreateCommunity({ onCreated }: { onCreated: (c: Community) => void }) {
  const { user } = useSession();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [contact, setContact] = useState(user.email);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let created: Community | undefined;
    const ok = await action.run(async () => {
      created = (await api<Community>('POST', `${OCS}/Communities`, { Name: name, Description: description, ContactEmail: contact })).body;
    });
    if (ok && created) onCreated(created);
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Create Community">
      <Field label="Community name">
        <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Description">
        <input maxLength={1000} value={description} onChange={(e) => setDescription(e.target.value)} />
      </Field>
      <Field label="Contact email">
        <input type="email" value={contact} onChange={(e) => setContact(e.target.value)} />
      </Field>
      <ErrorText error={action.error} />
      <button type="submit" className="primary" disabled={action.busy}>
        Create
      </button>
    </form>
  );
}
