import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
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
  const inWindow = (us: number) => windows.length === 0 || windows.some(([a, b]) => us * 1000 >= Number(a) && us * 1000 <= Number(b));
  const self = new Map<string, number>();
  let total = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i += 1) {
    t += profile.timeDeltas[i];
    if (!inWindow(t)) continue;
    const frame = byId.get(profile.samples[i])!.callFrame;
    const where = frame.url ? `${shorten(frame.url)}:${frame.lineNumber + 1}` : '';
    const key = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + 1);
    total += 1;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, n]) => ({ frame, selfPercent: +((n / Math.max(1, total)) * 100).toFixed(1) }));
}

function shorten(url: string): string {
  const file = url.replace(/^file:\/\//, '');
  const cut = file.lastIndexOf('/node_modules/');
  if (cut >= 0) return file.slice(cut + 1);
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  return file.startsWith(root) ? path.relative(root, file) : file;
}
