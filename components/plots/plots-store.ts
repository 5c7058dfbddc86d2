'use client';

import { create } from 'zustand';
import { defaultPlotsView, type PlotsView } from './plots-url';

export interface PlotsState extends PlotsView {
  set(patch: Partial<PlotsView>): void;
}

/** The plots page's view (layer, variable, correlation pair, selected LS), mirrored in the URL. */
export const usePlots = create<PlotsState>()((set) => ({
  ...defaultPlotsView,
  set: (patch) => set(patch),
}));
