import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from 'dqm-playground-ds/io';
import { FakeWebsite } from '../../lib/io/api/fake-website.fixtures';
import { table } from 'dqm-playground-ds/data';
import { Project } from 'dqm-playground-ds/session';
import { makeTempProject } from '../../lib/session/temp-project.fixtures';
import { uploadPredictions } from './nodes';

const TOKEN = 'upload-token-7777';
const title = (layer: number) => `clusterposition_zphi_PXLayer_${layer}`;
const small = { x: 3, y: 2 };

let site: FakeWebsite;
beforeAll(async () => {
  site = await FakeWebsite.start({ token: TOKEN, perPage: 2 });
  site.addHistograms(316187, [1, 2, 3, 4, 5], title(1), small); // ids 1-5
  site.addHistograms(316187, [1, 2, 3, 4, 5], title(2), small); // ids 6-10
  site.addTask({ id: 3, name: 'layer maps', training_runs: [], testing_runs: [{ run_number: 316187, date: '2018-05-12' }], training_lumisections: [], testing_lumisections: [] });
});
const roots: string[] = [];
afterAll(async () => {
  await site.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const PREDICTIONS = `run,lumi,layer,score,flag
316187,1,1,0.1,False
316187,2,1,0.9,True
316187,4,1,0.8,True
316187,3,2,0.95,True
316187,5,2,0.2,False
`;

function uploadProject(): string {
  const root = makeTempProject({
    files: {
      'conf/base/catalog.yml': `dqm_playground_api:
  type: api.APIDataset
  url: ${site.playgroundUrl}
  credentials: dqm_playground
  load_as: client
rmse.predictions:
  type: pandas.CSVDataset
  filepath: data/07_model_output/rmse/predictions.csv
upload_payload:
  type: json.JSONDataset
  filepath: data/07_model_output/upload_payload.json
upload_report:
  type: json.JSONDataset
  filepath: data/08_reporting/upload_report.json
`,
      'conf/base/parameters.yml': 'upload:\n  task_id: 3\n  strategy: rmse\n  predictions: rmse.predictions\n  dry_run: true\n',
      'conf/local/credentials.yml': `dqm_playground: ${TOKEN}\n`,
      'data/07_model_output/rmse/predictions.csv': PREDICTIONS,
      'pipelines/registry.ts': `import { createPipeline } from '{{repo}}/pipelines/upload/pipeline';
export function registerPipelines(ctx: { parameters: Record<string, unknown> }) {
  const upload = createPipeline(ctx);
  return { __default__: upload, upload };
}
`,
    },
  });
  roots.push(root);
  return root;
}

const readJson = (root: string, rel: string) => JSON.parse(readFileSync(path.join(root, rel), 'utf8'));

describe('upload pipeline (fake playground website)', () => {
  it('dry run writes the payload and POSTs nothing; a real run POSTs once; re-runs add only new flags', async () => {
    const root = uploadProject();
    site.requests.length = 0;
    await (await Project.load({ root })).run({ pipeline: 'upload' });
    const payload = { task: 3, strategy: 'rmse', run_histograms: [], lumisection_histograms_1d: [], lumisection_histograms_2d: [2, 4, 8] };
    expect(readJson(root, 'data/07_model_output/upload_payload.json')).toEqual(payload);
    expect(site.requestsTo('/api/predictions/', 'POST')).toHaveLength(0);
    expect(site.predictions).toHaveLength(0);
    const dry = readJson(root, 'data/08_reporting/upload_report.json');
    expect(dry).toMatchObject({ dry_run: true, posted: false, flagged: 3, already_uploaded: 0, new: 3 });
    expect(dry.lumisections).toEqual([
      { run: 316187, lumi: 2, layer: 1, score: 0.9, histogram_id: 2 },
      { run: 316187, lumi: 4, layer: 1, score: 0.8, histogram_id: 4 },
      { run: 316187, lumi: 3, layer: 2, score: 0.95, histogram_id: 8 },
    ]);

    const live = { upload: { dry_run: false } };
    await (await Project.load({ root, runtimeParams: live })).run({ pipeline: 'upload' });
    const posts = site.requestsTo('/api/predictions/', 'POST');
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toEqual(payload);
    expect(posts[0]!.headers.authorization).toBe(`Token ${TOKEN}`);
    expect(site.predictions).toHaveLength(1);
    expect(readJson(root, 'data/08_reporting/upload_report.json')).toMatchObject({ dry_run: false, posted: true, prediction_id: 1, new: 3 });

    // Same predictions again: nothing new, no POST.
    site.requests.length = 0;
    await (await Project.load({ root, runtimeParams: live })).run({ pipeline: 'upload' });
    expect(site.requestsTo('/api/predictions/', 'POST')).toHaveLength(0);
    expect(readJson(root, 'data/08_reporting/upload_report.json')).toMatchObject({ posted: false, flagged: 3, already_uploaded: 3, new: 0 });
    expect(readJson(root, 'data/07_model_output/upload_payload.json').lumisection_histograms_2d).toEqual([]);

    // One more flagged LS: only it is posted.
    writeFileSync(path.join(root, 'data/07_model_output/rmse/predictions.csv'), PREDICTIONS.replace('316187,5,2,0.2,False', '316187,5,2,0.7,True'));
    await (await Project.load({ root, runtimeParams: live })).run({ pipeline: 'upload' });
    expect(site.predictions.map((p) => p.lumisection_histograms_2d)).toEqual([[2, 4, 8], [10]]);
  });

  it('flagged lumisections that are not on the website are a clear error', async () => {
    const client = new ApiClient({ url: site.playgroundUrl, secret: { kind: 'token', value: TOKEN } });
    const predictions = table({ run: Int32Array.of(316187, 999999), lumi: Int32Array.of(9, 1), layer: ['layer_1', 'layer_1'], score: Float64Array.of(1, 1), flag: [true, true] });
    await expect(uploadPredictions(client, predictions, { task_id: 3, strategy: 'rmse' })).rejects.toThrow(
      `upload: 2 flagged lumisections have no 2D histogram on ${site.playgroundUrl}lumisection_histograms_2d/: run 316187 LS 9 layer 1, run 999999 LS 1 layer 1 (only lumisections of runs on the website can be uploaded; check upload.title)`,
    );
  });

  it('bad inputs and parameters are clear errors', async () => {
    const client = new ApiClient({ url: site.playgroundUrl, secret: { kind: 'token', value: TOKEN } });
    const noFlag = table({ run: Int32Array.of(1), lumi: Int32Array.of(1), layer: Int32Array.of(1) });
    await expect(uploadPredictions(client, noFlag, { task_id: 3, strategy: 'rmse' })).rejects.toThrow(
      'upload: the predictions table lacks column flag (expected run, lumi, layer, score, flag)',
    );
    await expect(uploadPredictions(client, noFlag, { strategy: 'rmse' })).rejects.toThrow(
      "Set upload.task_id (the website task, e.g. 3): --params upload.task_id=3,upload.strategy=pca",
    );
    await expect(uploadPredictions(client, noFlag, { task_id: 'three', strategy: 'rmse' })).rejects.toThrow(
      "Bad upload parameters: 'upload.task_id': Invalid input: expected number, received string",
    );
    const dials = new ApiClient({ url: site.dialsUrl, flavour: 'dials' });
    await expect(uploadPredictions(dials, noFlag, { task_id: 3, strategy: 'rmse' })).rejects.toThrow('upload needs the playground website (predictions/ endpoint); DIALS has none');
  });
});
