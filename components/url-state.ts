import type { VizNodeType } from '../lib/graph';
import { defaultView, type ViewState } from './store';

const TYPES: VizNodeType[] = ['task', 'data', 'parameters', 'modularPipeline'];

/** The view from a query string; unknown or bad values fall back to the defaults. */
export function parseView(search: string): ViewState {
  const q = new URLSearchParams(search);
  const list = (k: string) => (q.get(k) ?? '').split(',').filter(Boolean);
  const ls = Number(q.get('ls') ?? 0);
  return {
    pipeline: q.get('pipeline') || null,
    selected: q.get('node') || null,
    expanded: q.has('expanded') ? list('expanded') : null,
    hiddenTypes: list('hide').filter((t): t is VizNodeType => (TYPES as string[]).includes(t)),
    tags: list('tags'),
    search: q.get('q') ?? '',
    theme: q.get('theme') === 'dark' ? 'dark' : q.get('theme') === 'light' ? 'light' : defaultView.theme,
    direction: q.get('dir') === 'LR' ? 'LR' : q.get('dir') === 'TB' ? 'TB' : 'auto',
    engine: q.get('engine') === 'elk' ? 'elk' : 'layered',
    ls: Number.isInteger(ls) && ls >= 0 ? ls : 0,
    pretty: q.get('pretty') === '1',
    hiddenLayers: list('hideLayers'),
    focus: q.get('focus') || null,
    sliceFrom: q.get('from') || null,
    sliceTo: q.get('to') || null,
    unstacked: list('unstack'),
  };
}

/** The query string for a view; defaults are left out so links stay short. */
export function serializeView(v: ViewState): string {
  const q = new URLSearchParams();
  if (v.pipeline) q.set('pipeline', v.pipeline);
  if (v.selected) q.set('node', v.selected);
  if (v.expanded) q.set('expanded', v.expanded.join(','));
  if (v.hiddenTypes.length) q.set('hide', v.hiddenTypes.join(','));
  if (v.tags.length) q.set('tags', v.tags.join(','));
  if (v.search) q.set('q', v.search);
  if (v.theme !== defaultView.theme) q.set('theme', v.theme);
  if (v.direction !== 'auto') q.set('dir', v.direction);
  if (v.engine !== 'layered') q.set('engine', v.engine);
  if (v.ls) q.set('ls', String(v.ls));
  if (v.pretty) q.set('pretty', '1');
  if (v.hiddenLayers.length) q.set('hideLayers', v.hiddenLayers.join(','));
  if (v.focus) q.set('focus', v.focus);
  if (v.sliceFrom) q.set('from', v.sliceFrom);
  if (v.sliceTo) q.set('to', v.sliceTo);
  if (v.unstacked.length) q.set('unstack', v.unstacked.join(','));
  const s = q.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
  return s ? `?${s}` : '';
}
