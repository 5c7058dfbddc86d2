'use client';

import { useEffect, useMemo, useState } from 'react';
import type { LayoutResult } from '../../lib/graph';
import type { Engine } from '../store';
import type { LayoutRequest, LayoutResponse, ScreenLayoutInput } from './layout.types';
import { computeLayout } from './runLayout';
import { isStatic } from '../base-url';

export type LayoutState =
  | { status: 'loading'; key: string }
  | { status: 'ready'; key: string; result: LayoutResult }
  | { status: 'error'; key: string; message: string };

const cache = new Map<string, LayoutResult>();
const CACHE_MAX = 24;
const TIMEOUT_MS = 60_000;
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (r: LayoutResult) => void; reject: (e: Error) => void }>();

/** A stable key for a layout: the same graph in any order gives the same key. */
export function layoutKey(input: ScreenLayoutInput, engine: Engine): string {
  const nodes = input.nodes.map((n) => `${n.id}:${n.width}x${n.height}:${n.layer ?? ''}:${(n.group ?? []).join('/')}`).sort();
  const edges = input.edges.map((e) => `${e.source}>${e.target}`).sort();
  return `${engine}|${input.direction}|${input.screen.width}x${input.screen.height}|${(input.layers ?? []).join(',')}|${nodes.join('|')}|${edges.join('|')}`;
}

function getWorker(): Worker | null {
  if (worker) return worker;
  // A static site may live anywhere: Turbopack's worker bootstrap resolves chunks from the
  // origin's root, so there the layout runs on the page (the layered engine takes milliseconds).
  if (typeof Worker === 'undefined' || isStatic()) return null;
  try {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return null;
  }
  worker.onmessage = (e: MessageEvent<LayoutResponse>) => {
    const p = pending.get(e.data.id);
    if (!p) return;
    pending.delete(e.data.id);
    if (e.data.type === 'result') p.resolve(e.data.result);
    else p.reject(new Error(e.data.message));
  };
  // A crashed worker fails every waiting layout (never "loading forever") and is rebuilt next time.
  worker.onerror = (e) => {
    for (const p of pending.values()) p.reject(new Error(`Layout worker failed: ${e.message || 'unknown error'}`));
    pending.clear();
    worker?.terminate();
    worker = null;
  };
  return worker;
}

function runLayout(input: ScreenLayoutInput, engine: Engine): Promise<LayoutResult> {
  const w = getWorker();
  if (!w) return Promise.resolve().then(() => computeLayout(input, engine));
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`Layout took longer than ${TIMEOUT_MS / 1000} s`));
    }, TIMEOUT_MS);
    pending.set(id, {
      resolve: (r) => {
        clearTimeout(timer);
        resolve(r);
      },
      reject: (e) => {
        clearTimeout(timer);
        reject(e);
      },
    });
    const msg: LayoutRequest = { type: 'layout', id, input, engine };
    w.postMessage(msg);
  });
}

// Start the worker while the graph is being fetched, so its script is compiled when needed.
if (typeof window !== 'undefined') getWorker();

/** Lays out in the worker, cached on a sorted key; reports loading while the result is stale. */
export function useLayout(input: ScreenLayoutInput | null, engine: Engine): LayoutState | null {
  const key = useMemo(() => (input ? layoutKey(input, engine) : null), [input, engine]);
  const [state, setState] = useState<LayoutState | null>(null);
  useEffect(() => {
    if (!input || key === null) return;
    const hit = cache.get(key);
    if (hit) {
      setState({ status: 'ready', key, result: hit });
      return;
    }
    let live = true;
    setState({ status: 'loading', key });
    const t0 = performance.now();
    runLayout(input, engine).then(
      (result) => {
        // Figures for bench:ui and for curious users (window.__dqmViz in the console).
        (window as unknown as { __dqmViz?: Record<string, number> }).__dqmViz = { layoutMs: Math.round(performance.now() - t0), nodes: input.nodes.length };
        performance.mark('dqm:layout');
        cache.set(key, result);
        while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
        if (live) setState({ status: 'ready', key, result });
      },
      (error: Error) => live && setState({ status: 'error', key, message: error.message }),
    );
    return () => {
      live = false;
    };
  }, [key, input, engine]);
  return state;
}
