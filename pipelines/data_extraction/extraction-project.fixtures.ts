import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { FakeWebsite } from '../../lib/io/api/fake-website.fixtures';
import { makeTempProject } from '../../lib/session/temp-project.fixtures';

/** Temp projects for the data_extraction tests, their API entry pointing at a FakeWebsite. */
const REPO_CONF = path.resolve(__dirname, '../../conf/base');

/** The catalog entries data_extraction needs (the lead adds them to conf/base/catalog.yml). */
function extractionCatalog(site: FakeWebsite, flavour: 'playground' | 'dials'): Record<string, unknown> {
  return {
    dqm_playground_api: {
      type: 'api.APIDataset',
      url: flavour === 'dials' ? site.dialsUrl : site.playgroundUrl,
      flavour,
      credentials: 'dqm_playground',
      load_as: 'client',
      backoff_s: 0.01,
    },
    website_runs: { type: 'pandas.CSVDataset', filepath: 'data/01_raw/website/runs.csv', layer: 'raw' },
    website_lumisections: { type: 'pandas.CSVDataset', filepath: 'data/01_raw/website/lumisections.csv', layer: 'raw' },
    raw_histograms: { type: 'partitions.PartitionedDataset', path: 'data/01_raw', dataset: 'pickle.PickleDataSet', filename_suffix: '.pkl', layer: 'raw' },
    extraction_summary: { type: 'json.JSONDataset', filepath: 'data/01_raw/website/extraction_summary.json', layer: 'raw' },
  };
}

/**
 * A temp project with the repo's conf/base (D's catalog and parameters), the extraction entries
 * (those the repo's catalog does not define yet, the API url pointing at the fake website), and a
 * registry with data_extraction, data_processing and data_science from this repo.
 */
export function makeExtractionProject(site: FakeWebsite, TOKEN: string, flavour: 'playground' | 'dials', roots: string[]): string {
  const root = makeTempProject({
    files: {
      'conf/local/credentials.yml': `dqm_playground:\n  token: ${TOKEN}\n`,
      'pipelines/registry.ts': `import { add } from 'dqm-playground-ds/pipeline';
import { createPipeline as dataExtraction } from '{{repo}}/pipelines/data_extraction/pipeline';
import { createPipeline as dataProcessing } from '{{repo}}/pipelines/data_processing/pipeline';
import { createPipeline as dataScience } from '{{repo}}/pipelines/data_science/pipeline';
export function registerPipelines(ctx: { parameters: Record<string, unknown> }) {
  const data_extraction = dataExtraction(ctx);
  const features = add(dataProcessing(ctx), dataScience(ctx));
  return { __default__: features, data_extraction, features };
}
`,
    },
  });
  rmSync(path.join(root, 'conf/base'), { recursive: true, force: true });
  cpSync(REPO_CONF, path.join(root, 'conf/base'), { recursive: true });
  const repoCatalog = (parseYaml(readFileSync(path.join(REPO_CONF, 'catalog.yml'), 'utf8')) ?? {}) as Record<string, unknown>;
  const entries = Object.fromEntries(Object.entries(extractionCatalog(site, flavour)).map(([k, v]) => [k, k === 'dqm_playground_api' || !(k in repoCatalog) ? v : undefined]));
  // The API entry always points at the fake website: if the repo defines it, override it from conf/local.
  const local = { dqm_playground_api: entries.dqm_playground_api };
  delete entries.dqm_playground_api;
  if (!('dqm_playground_api' in repoCatalog)) Object.assign(entries, local);
  const base = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
  writeFileSync(path.join(root, 'conf/base/catalog_extraction_test.yml'), stringifyYaml(base));
  if ('dqm_playground_api' in repoCatalog) writeFileSync(path.join(root, 'conf/local/catalog.yml'), stringifyYaml(local));
  roots.push(root);
  return root;
}

export function pickles(root: string): string[] {
  const raw = path.join(root, 'data/01_raw');
  if (!existsSync(raw)) return [];
  return readdirSync(raw, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.pkl')).sort();
}

