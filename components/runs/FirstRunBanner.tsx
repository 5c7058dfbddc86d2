'use client';

import { useEffect, useState } from 'react';
import { isStatic } from '../base-url';
import { listRuns } from './runs-api';
import { RunDefaultButton } from './RunDefaultButton';
import { useServesProject } from './useServesProject';

/** Over the graph of a project that has never run: nothing to preview yet, and the button that fixes it. */
export function FirstRunBanner() {
  const project = useServesProject();
  const [empty, setEmpty] = useState(false);
  useEffect(() => {
    if (!project || isStatic()) return;
    void listRuns().then((r) => setEmpty(r.runs.length === 0), () => undefined);
  }, [project]);
  if (!empty) return null;
  return (
    <div data-testid="first-run" className="absolute bottom-4 left-1/2 z-10 flex -translate-x-1/2 items-center gap-3 rounded-md border px-4 py-2 text-sm shadow" style={{ background: 'var(--panel)', borderColor: 'var(--accent)' }}>
      <span>Nothing has been computed yet: the graph has no data to preview.</span>
      <RunDefaultButton />
    </div>
  );
}
