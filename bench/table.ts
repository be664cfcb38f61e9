/**
 * Turns the JSON lines of `npm run bench` into the Markdown table of bench/README.md:
 *
 *   npm run -s bench > run.jsonl && npx tsx bench/table.ts < run.jsonl
 */
import { text } from 'node:stream/consumers';

const rows = (await text(process.stdin))
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l) as Record<string, any>);
const yardstick = (name: string) => rows.find((r) => r.scenario === name)?.perSecond;
const fmt = (n: unknown, digits = 0) => (typeof n === 'number' ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–');
const pct = (n: unknown) => (typeof n === 'number' ? `${(n * 100).toFixed(1)} %` : '–');

console.log(`HTTP ceiling ${fmt(yardstick('http-ceiling'))} req/s, SQLite floor ${fmt(yardstick('sqlite-floor'))} tx/s (same run).\n`);
console.log('| scenario | engine | req/s | p50 ms | p99 ms | errors / non-2xx | server CPU s (%) | peak RSS MB | ÷ floor | ÷ ceiling | target | met |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  if (r.topSelfFrames || r.scenario === 'http-ceiling' || r.scenario === 'sqlite-floor') continue;
  const rate = r.scenario === 'mail-drain' ? `${fmt(r.perSecond)} emails/s` : r.scenario === 'work-requests' ? `${fmt(r.finished)} finished` : fmt(r.perSecond);
  const errors = r.scenario === 'mail-drain' ? `${r.duplicates} duplicates` : r.scenario === 'work-requests' ? `${r.failed} failed` : `${r.errors} / ${r.non2xx}`;
  const extra = r.deepToFirstP50 !== undefined ? ` (deep ÷ first p50 ${r.deepToFirstP50})` : r.serverCpuMsPerEmail !== undefined ? ` (${r.serverCpuMsPerEmail} ms CPU an email)` : '';
  console.log(
    `| ${r.scenario} | ${r.engine} | ${rate} | ${fmt(r.p50ms, 1)} | ${fmt(r.p99ms, 1)} | ${errors} | ${r.serverCpuSeconds !== undefined ? `${fmt(r.serverCpuSeconds, 1)} (${r.serverCpuPercent} %)` : '–'} | ${fmt(r.serverPeakRssMb)} | ${pct(r.ratioToFloor)} | ${pct(r.ratioToCeiling)} | ${r.target ?? ''}${extra} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`,
  );
}
