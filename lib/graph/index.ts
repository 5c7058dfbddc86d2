/**
 * The dashboard's graph model, pure and shared with the browser: Kedro-Viz's /api/main types,
 * the visible graph (collapsed modular pipelines, focus), the layered layout and the modular
 * pipeline tree. No Node module is imported here or below (checked by `npm run lint:deps`).
 */
export type * from './graph-types';
export { ROOT_PIPELINE } from './graph-types';
export { DEFAULT_PIPELINE } from '../pipeline';
export type * from './plots-types';
export { visibleGraph, neighbourhood, parentMap, ancestorsOf, modularPipelineIds, STACK_MIN, defaultExpanded, EXPAND_ALL_MAX } from './visible-graph';
export { sliceBetween, focusSet } from './slice';
export type { Slice } from './slice';
export { shortName, prettyName, middleEllipsis, nodeLabel, LABEL_MAX_CHARS } from './labels';
export type { ViewOptions, VisibleGraph, VisibleEdge } from './visible-graph';
export { layeredLayout, computeBands, isotonic, groupBoxes } from './layout';
export { computeRanks } from './layout-ranks';
export type { Direction, LayoutInput, LayoutResult, LayoutNodeInput, Band, GroupBox } from './layout-types';
export { elkLayout, bandsFromPositions, ELK_MAX_NODES } from './layout-elk';
export { buildModularTree, collectNamespaces, datasetChain, namespaceChain } from './modular-tree';
export type { TreeInput } from './modular-tree';
export { MIN_FIT_ZOOM, MAX_FIT_ZOOM, fitZoom, initialViewport, layoutForScreen, wrapWidth } from './viewport';
export type { Viewport } from './viewport';
export { staticFile, fileKey } from './static-paths';
