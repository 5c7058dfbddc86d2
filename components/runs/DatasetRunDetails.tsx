'use client';

import { formatBytes } from './run-statuses';
import { useRuns } from './runs-store';

/** For the metadata panel of a dataset: missing or stale and why, and what the shown run saved. */
export function DatasetRunDetails({ name }: { name: string }) {
  const fresh = useRuns((s) => s.freshness?.[name]);
  const saved = useRuns((s) => s.datasets[name]);
  if (!fresh && !saved) return null;
  const colour = fresh?.state === 'missing' ? '#dc2626' : fresh?.state === 'stale' ? '#d97706' : '#16a34a';
  return (
    <section data-testid="dataset-run-details" className="flex flex-col gap-1 text-xs">
      {fresh && (
        <p data-testid="dataset-freshness" data-state={fresh.state}>
          <strong style={{ color: colour }}>{fresh.state === 'fresh' ? 'up to date' : fresh.state}</strong>
          {fresh.savedAt && <span style={{ color: 'var(--muted)' }}> · written {new Date(fresh.savedAt).toLocaleString()} by run {fresh.runId}</span>}
        </p>
      )}
      {fresh && fresh.reasons.length > 0 && (
        <ul data-testid="dataset-freshness-reasons" className="m-0 list-disc pl-4">
          {fresh.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {saved && (
        <p>
          Saved by the shown run: {formatBytes(saved.sizeBytes)}
          {saved.rows !== null && ` · ${saved.rows.toLocaleString('en')} rows`}
        </p>
      )}
    </section>
  );
}
