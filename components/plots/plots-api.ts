import type { CorrelationResponse, LsDetail, PlotsSummary, SeriesResponse } from '../../lib/graph';
import { getJson } from '../api';

const q = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

export const fetchSummary = (signal?: AbortSignal) => getJson<PlotsSummary>('/api/plots/summary', signal);
export const fetchSeries = (layer: number, variable: string, signal?: AbortSignal) => getJson<SeriesResponse>(`/api/plots/series?${q({ layer, variable })}`, signal);
export const fetchCorrelation = (layer: number, x: string, y: string, signal?: AbortSignal) => getJson<CorrelationResponse>(`/api/plots/correlation?${q({ layer, x, y })}`, signal);
export const fetchLs = (layer: number, run: number, lumi: number, signal?: AbortSignal) => getJson<LsDetail>(`/api/plots/ls?${q({ run, lumi, layer })}`, signal);
