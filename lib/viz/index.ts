/**
 * The server side of the dashboard: the graph of a Project (lib/graph's model), node details
 * and dataset previews, the DQM plots data, saved graph files. Node-only (fs); the browser
 * imports lib/graph instead.
 */
export { VizError, VizNotFoundError } from './errors';
export { buildGraph, buildFullGraph, catalogLayerOrder, orderLayers, parameterValue, resolvePipelineId } from './build-graph';
export type { GraphSource } from './build-graph';
export { loadGraphFile, parseGraph, selectPipeline } from './load-file';
export { findFunctionSource, listSourceFiles, isInside } from './source';
export { previewOf, statsOf, heatmapPreview, lsMapOf, partitionsPreview } from './preview';
export { taskDetails, datasetDetails, catalogFacts, ValueCache } from './node-details';
export { VizService } from './service';
export type { VizSource } from './service';
export type { VizProject, VizCatalog } from './project-types';
export { buildStaticSite, staticPage } from './static-build';
export type { StaticBuildOptions, StaticBuildSummary } from './static-build';
export { syntheticGraph, syntheticSource, largeKedroVizGraph, largeKedroVizSource } from './synthetic';
export { pearson, correlationMatrix } from './plots/pearson';
export { yieldIfLong } from './time-slice';
