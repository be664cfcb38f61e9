import { useState, type FormEvent } from 'react';
import { api, get, query } from '../../api';
import { ErrorText, Field, Loading, Pager, useAction, useLoad } from '../../ui';
import { OCS, PAGE_SIZE, type Community } from './model';

interface StreamResult {
  Id: string;
  Name: string;
  TypeId: string;
  Description?: string;
  Self: string;
  TenantId: string;
  TenantName: string;
  NamespaceId: string;
}

export function SharedStreamsTab({ community }: { community: Community }) {
  const [page, setPage] = useState(0);
  const [filter, setFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [selected, setSelected] = useState<StreamResult | null>(null);
  const list = useLoad(
    () => get<StreamResult[]>(`${OCS}/Search/Communities/${community.Id}/Streams${query({ query: applied || undefined, skip: page * PAGE_SIZE, count: PAGE_SIZE + 1 })}`),
    [page, applied, community.Id],
  );
  const rows = list.data?.slice(0, PAGE_SIZE) ?? [];
  return (
    <>
      <form
        className="toolbar"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setPage(0);
          setApplied(filter);
        }}
      >
        <Field label="Search streams">
          <input value={filter} onChange={(e) => setFilter(e.target.value)} maxLength={200} />
        </Field>
        <button type="submit">Search</button>
      </form>
      <ErrorText error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="shared streams" />
      ) : rows.length === 0 ? (
        <p>No stream is shared into this community{applied ? ' that matches the search' : ''}.</p>
      ) : (
        <table>
          <caption className="sr-only">Streams shared into the community</caption>
          <thead>
            <tr>
              <th scope="col">Stream</th>
              <th scope="col">Tenant</th>
              <th scope="col">Namespace</th>
              <th scope="col">Type</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={`${s.TenantId}/${s.NamespaceId}/${s.Id}`} aria-selected={selected?.Self === s.Self}>
                <td>
                  <button type="button" className="link" onClick={() => setSelected(s)}>
                    {s.Name || s.Id}
                  </button>
                </td>
                <td>{s.TenantName}</td>
                <td>{s.NamespaceId}</td>
                <td>{s.TypeId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager label="Shared streams" page={page} hasNext={(list.data?.length ?? 0) > PAGE_SIZE} onPage={setPage} />
      {selected ? <StreamChart key={selected.Self} community={community} stream={selected} /> : null}
    </>
  );
}

type SdsEvent = Record<string, unknown>;

/** The stream's path on this server (Self is absolute, in the stream's home region). */
const pathOf = (self: string) => {
  try {
    return new URL(self).pathname;
  } catch {
    return self;
  }
};

function StreamChart({ community, stream }: { community: Community; stream: StreamResult }) {
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [events, setEvents] = useState<SdsEvent[] | null>(null);
  const action = useAction();
  const headers = { 'community-id': community.Id };
  const base = pathOf(stream.Self);
  const load = async (e?: FormEvent) => {
    e?.preventDefault();
    await action.run(async () => {
      let from = start;
      let to = end;
      if (!from || !to) {
        // Without a window: from the stream's first to its last event.
        const first = (await api<SdsEvent | null>('GET', `${base}/Data/First`, undefined, headers)).body;
        const last = (await api<SdsEvent | null>('GET', `${base}/Data/Last`, undefined, headers)).body;
        if (!first || !last) {
          setEvents([]);
          return;
        }
        const key = Object.keys(first)[0];
        from = from || String(first[key]);
        to = to || String(last[key]);
        setStart(from);
        setEnd(to);
      }
      const data = (await api<SdsEvent[]>('GET', `${base}/Data${query({ startIndex: from, endIndex: to })}`, undefined, headers)).body;
      setEvents(data ?? []);
    });
  };
  return (
    <section className="card" aria-label={`Values of ${stream.Name || stream.Id}`}>
      <h2>{stream.Name || stream.Id}</h2>
      <form className="toolbar" onSubmit={load}>
        <Field label="Start index">
          <input value={start} onChange={(e) => setStart(e.target.value)} placeholder="first event" />
        </Field>
        <Field label="End index">
          <input value={end} onChange={(e) => setEnd(e.target.value)} placeholder="last event" />
        </Field>
        <button type="submit" disabled={action.busy}>
          Show values
        </button>
      </form>
      <ErrorText error={action.error} />
      {events ? <Chart events={events} title={stream.Name || stream.Id} /> : null}
    </section>
  );
}

/** A line chart of the first numeric property over the events' index, as SVG. */
export function Chart({ events, title }: { events: SdsEvent[]; title: string }) {
  if (events.length === 0) return <p>No values in this window.</p>;
  const keys = Object.keys(events[0]);
  const indexKey = keys[0];
  const valueKey = keys.find((k) => k !== indexKey && typeof events[0][k] === 'number');
  if (!valueKey) return <p>The stream has no numeric property to chart.</p>;
  const xs = events.map((e, i) => {
    const v = e[indexKey];
    if (typeof v === 'number') return v;
    const t = Date.parse(String(v));
    return Number.isNaN(t) ? i : t;
  });
  const ys = events.map((e) => Number(e[valueKey]));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const W = 640;
  const H = 240;
  const px = (x: number) => 40 + ((x - x0) / (x1 - x0 || 1)) * (W - 60);
  const py = (y: number) => H - 30 - ((y - y0) / (y1 - y0 || 1)) * (H - 50);
  const points = xs.map((x, i) => `${px(x).toFixed(1)},${py(ys[i]).toFixed(1)}`).join(' ');
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${valueKey} of ${title}: ${events.length} values from ${y0} to ${y1}`} className="chart">
        <line x1={40} y1={H - 30} x2={W - 20} y2={H - 30} className="axis" />
        <line x1={40} y1={20} x2={40} y2={H - 30} className="axis" />
        <text x={4} y={24}>{y1}</text>
        <text x={4} y={H - 32}>{y0}</text>
        <polyline points={points} className="series" fill="none" />
        {xs.map((x, i) => (
          <circle key={i} cx={px(x)} cy={py(ys[i])} r={2.5} className="dot" />
        ))}
      </svg>
      <figcaption>
        {valueKey} by {indexKey}, {events.length} values
      </figcaption>
    </figure>
  );
}
