'use client';

import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { Flowchart } from './flowchart/Flowchart';
import { MetadataPanel } from './metadata/MetadataPanel';
import { Sidebar } from './sidebar/Sidebar';
import { useViz } from './store';
import { useAutoreload } from './useAutoreload';
import { useGraph } from './useGraph';
import { useUrlSync } from './useUrlSync';
import { FirstRunBanner } from './runs/FirstRunBanner';

export function VizApp() {
  useUrlSync();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  useGraph(mounted);
  const notice = useAutoreload();
  const theme = useViz((s) => s.theme);
  const selected = useViz((s) => s.selected);
  useEffect(() => {
    document.documentElement.classList.toggle('dark', theme === 'dark');
    try {
      localStorage.setItem('dqm-viz-theme', theme);
    } catch {
      // private mode: the URL still carries the theme
    }
  }, [theme]);

  return (
    <ReactFlowProvider>
      <div className="flex h-screen w-screen overflow-hidden" style={{ background: 'var(--bg)' }}>
        <Sidebar />
        <main className="relative min-w-0 flex-1">
          <Flowchart />
          <FirstRunBanner />
          {notice && (
            <div role="status" className="absolute left-1/2 top-3 -translate-x-1/2 rounded-md px-3 py-1.5 text-sm shadow" style={{ background: 'var(--panel)', border: '1px solid var(--border)' }}>
              {notice}
            </div>
          )}
        </main>
        {selected && <MetadataPanel key={selected} id={selected} />}
      </div>
    </ReactFlowProvider>
  );
}
