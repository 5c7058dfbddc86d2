import type { CorrelationResponse, LsDetail, PlotsSummary, SeriesResponse } from '../../lib/graph';
import { getJson } from '../api';
import { apiUrl } from '../base-url';

export const fetchSummary = (signal?: AbortSignal) => getJson<PlotsSummary>(apiUrl('/api/plots/summary'), signal);
export const fetchSeries = (layer: number, variable: string, signal?: AbortSignal) => getJson<SeriesResponse>(apiUrl('/api/plots/series', { layer, variable }), signal);
export const fetchCorrelation = (layer: number, x: string, y: string, signal?: AbortSignal) => getJson<CorrelationResponse>(apiUrl('/api/plots/correlation', { layer, x, y }), signal);
/** `dataset` only when it is not the layer's default set (the static site stores the default's answers under the plain URL). */
export const fetchLs = (layer: number, run: number, lumi: number, dataset: string | null, signal?: AbortSignal) =>
  getJson<LsDetail>(apiUrl('/api/plots/ls', dataset ? { run, lumi, layer, dataset } : { run, lumi, layer }), signal);
