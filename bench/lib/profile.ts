import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The top self-time frames of a `node --cpu-prof` profile, counting only samples taken inside the
 * given windows (process.hrtime.bigint() of the bench process: V8's profile clock is the same
 * monotonic clock), so server start-up and seeding do not count. Paths are shown from the repo root.
 */
export function topSelfFrames(file: string, windows: Array<[bigint, bigint]>, top: number) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inWindow = (us: number) => windows.length === 0 || windows.some(([a, b]) => us * 1000 >= Number(a) && us * 1000 <= Number(b));
  const self = new Map<string, number>();
  const app = new Map<string, number>();
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i];
    if (!inWindow(t)) continue;
    count(self, label(byId.get(profile.samples[i])!.callFrame));
    // The nearest frame of the app's own code (src/) on the synchronous stack: which use case or
    // query builder the time below it (SQLite, Kysely, crypto…) was spent for.
    let id: number | undefined = profile.samples[i];
    while (id !== undefined && !byId.get(id)!.callFrame.url.includes('/src/')) id = parent.get(id);
    count(app, id === undefined ? '(no app frame on the stack)' : label(byId.get(id)!.callFrame));
    total += 1;
  }
  const ranked = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, n]) => ({ frame, percent: +((n / Math.max(1, total)) * 100).toFixed(1) }));
  return { samples: total, self: ranked(self), underAppFrame: ranked(app) };
}

function label(frame: ProfileNode['callFrame']): string {
  const where = frame.url ? `${shorten(frame.url)}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

function shorten(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const cut = file.lastIndexOf('/node_modules/');
  if (cut >= 0) return file.slice(cut + 1);
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  return file.startsWith(root) ? path.relative(root, file) : file;
}
