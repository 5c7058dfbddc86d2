'use client';

import { useEffect, useState } from 'react';
import { apiUrl } from '../base-url';

/**
 * Whether the dashboard serves a project (runs possible) rather than a saved graph file
 * (`dqm viz --load-file`, where /api/runs answers 400). `undefined` until /api/info answers.
 */
export function useServesProject(): boolean | undefined {
  const [project, setProject] = useState<boolean | undefined>(undefined);
  useEffect(() => {
    const ctrl = new AbortController();
    fetch(apiUrl('/api/info'), { cache: 'no-store', signal: ctrl.signal })
      .then((res) => (res.ok ? (res.json() as Promise<{ mode?: string }>) : { mode: undefined }))
      .then((info) => setProject(info.mode === 'project'), () => !ctrl.signal.aborted && setProject(false));
    return () => ctrl.abort();
  }, []);
  return project;
}
