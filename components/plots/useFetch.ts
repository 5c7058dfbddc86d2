'use client';

import { useEffect, useState } from 'react';
import { describeError } from '../api';

export type Fetched<T> = { status: 'idle' } | { status: 'loading'; previous?: T } | { status: 'ok'; data: T } | { status: 'error'; message: string };

/** Fetches when `key` changes (null: nothing to fetch); aborts the stale request; keeps the previous data while loading. */
export function useFetch<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Fetched<T> {
  const [state, setState] = useState<Fetched<T>>({ status: 'idle' });
  useEffect(() => {
    if (key === null) {
      setState({ status: 'idle' });
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ status: 'loading', previous: s.status === 'ok' ? s.data : s.status === 'loading' ? s.previous : undefined }));
    load(ctrl.signal).then(
      (data) => !ctrl.signal.aborted && setState({ status: 'ok', data }),
      (error: unknown) => !ctrl.signal.aborted && setState({ status: 'error', message: describeError(error) }),
    );
    return () => ctrl.abort();
    // `load` is rebuilt each render; `key` names what it fetches.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}

export function dataOf<T>(f: Fetched<T>): T | undefined {
  return f.status === 'ok' ? f.data : f.status === 'loading' ? f.previous : undefined;
}
