'use client';

import { useViz } from '../store';

/**
 * The LS slider under a histogram-set preview (maps and 1D alike): steps the store's LS index,
 * labelled with the run and LS number (never the index) and the LS's entries.
 */
export function LsSlider(props: { ls: number; shownLs: number; lsCount: number; run: number; lumi: number; entries: number; onStep?: () => void }) {
  const { ls, shownLs, lsCount, run, lumi, entries, onStep } = props;
  return (
    <label className="flex items-center gap-2 text-xs">
      LS
      <input
        data-testid="ls-slider"
        type="range"
        min={0}
        max={lsCount - 1}
        value={ls}
        aria-valuetext={`run ${run}, LS ${lumi}`}
        onChange={(e) => {
          onStep?.();
          useViz.getState().set({ ls: Number(e.target.value) });
        }}
        className="flex-1"
      />
      <span data-testid="ls-label" className="w-44 text-right font-mono" title={`${shownLs + 1} of ${lsCount} lumisections`}>
        run {run} · LS {lumi} · {Math.round(entries).toLocaleString('en')} ent.
      </span>
    </label>
  );
}
