import { syntheticGraph, layeredLayout, visibleGraph } from './index';
for (const size of [200, 1000, 2500]) {
  let t = performance.now();
  const g = syntheticGraph(size);
  const tb = performance.now() - t;
  t = performance.now();
  const v = visibleGraph(g, { expanded: new Set(Object.keys(g.modular_pipelines)), hiddenTypes: new Set(), tags: new Set() });
  const tv = performance.now() - t;
  t = performance.now();
  const layers = g.layers;
  const r = layeredLayout({ nodes: v.nodes.map((n) => ({ id: n.id, width: 160, height: 36, layer: n.layer ? layers.indexOf(n.layer) : null })), edges: v.edges, direction: 'TB', layers });
  const tl = performance.now() - t;
  console.log(size, g.nodes.length, g.edges.length, 'visible', v.nodes.length, v.edges.length, 'build', tb.toFixed(0), 'vis', tv.toFixed(0), 'layout', tl.toFixed(0), r.width.toFixed(0), r.height.toFixed(0), r.bands.map((b) => b.name).join(','));
}
