import { useEffect, useState } from 'react';
import { get } from '../../api';
import { ErrorText } from '../../ui';
import { OCI, words, type WorkRequest } from './model';

/** Polls a work request until it finishes and shows its progress; calls `onFinished` once. */
export function WorkRequestProgress({ id, label, onFinished }: { id: string; label: string; onFinished?: (wr: WorkRequest) => void }) {
  const [wr, setWr] = useState<WorkRequest>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let stopped = false;
    let delay = 300;
    const poll = async () => {
      try {
        const next = await get<WorkRequest>(`${OCI}/workRequests/${encodeURIComponent(id)}`);
        if (stopped) return;
        setWr(next);
        if (next.timeFinished) {
          onFinished?.(next);
          return;
        }
      } catch (e) {
        if (stopped) return;
        setError(e);
      }
      delay = Math.min(delay * 2, 3000);
      setTimeout(poll, delay);
    };
    poll();
    return () => {
      stopped = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  const percent = wr?.percentComplete ?? 0;
  return (
    <div className="progress" role="status" aria-live="polite">
      <span>
        {label}: {wr ? words(wr.status) : 'Accepted'}
      </span>
      <progress max={100} value={percent} aria-label={`${label} progress`}>
        {percent}%
      </progress>
      <span>{percent}%</span>
      <ErrorText error={error} />
    </div>
  );
}
