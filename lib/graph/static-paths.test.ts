import { describe, expect, it } from 'vitest';
import { fileKey, staticFile } from './static-paths';

describe('static site paths', () => {
  it('makes ids safe file names that never climb out of the folder', () => {
    expect(fileKey('params:data_processing')).toBe('params~3Adata_processing');
    expect(fileKey('a/b')).toBe('a~2Fb');
    expect(fileKey('..')).toBe('~2E.');
    expect(fileKey('')).toBe('~');
  });

  it('maps every API answer the page asks for to one file', () => {
    const q = (o: Record<string, string>) => new URLSearchParams(o);
    expect(staticFile('/api/main')).toBe('api/main.json');
    expect(staticFile('/api/pipelines/data_science')).toBe('api/pipelines/data_science.json');
    expect(staticFile('/api/nodes/params%3Ax', q({ pipeline: 'strategies' }))).toBe('api/nodes/strategies/params~3Ax.json');
    expect(staticFile('/api/nodes/layer_1.mean_image')).toBe('api/nodes/__selected__/layer_1.mean_image.json');
    expect(staticFile('/api/nodes/m/map', q({ ls: '7', pipeline: 'x' }))).toBe('api/maps/m.ls7.f32');
    expect(staticFile('/api/runs')).toBe('api/runs.json');
    expect(staticFile('/api/runs/r1/events')).toBe('api/runs/r1.events.json');
    expect(staticFile('/api/plots/series', q({ layer: '2', variable: 'mean' }))).toBe('api/plots/series/2/mean.json');
    expect(staticFile('/api/plots/ls', q({ layer: '1', run: '357000', lumi: '4' }))).toBe('api/plots/ls/1/357000/4.json');
    expect(staticFile('/api/events')).toBeNull();
    expect(staticFile('/api/runs/r1/cancel')).toBeNull();
  });
});
