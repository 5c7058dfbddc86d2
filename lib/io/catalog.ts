import { validateCatalogEntry, type CatalogEntry } from '../config';
import { messageOf, suggestion } from '../errors';
import type { AbstractDataset } from './dataset';
import type { DatasetConstructor, DatasetContext } from './dataset-context';
import { compilePattern, isPattern, matchPattern, sortPatterns, substitute, type DatasetPattern } from './dataset-factories';
import { createDataset, isKnownDatasetType, registerDatasetType, unknownTypeError } from './dataset-types';
import { MemoryDataset } from './datasets/memory-dataset';
import { UnavailableDataset } from './datasets/unavailable-dataset';
import { generateTimestamp, VersionedDataset } from './datasets/versioned-dataset';
import { DatasetError, DatasetNotFoundError } from './errors';

export interface CatalogOptions {
  /** The resolved credentials mapping (`credentials*.yml`): entries refer to it by name. */
  credentials?: Record<string, unknown>;
  projectRoot: string;
  /** `--load-versions`: dataset name -> version to load (versioned datasets only). */
  loadVersions?: Record<string, string>;
  /** The version every versioned dataset saves under in this run (default: the save time). */
  saveVersion?: string;
  /** Entry name -> config file it came from (ProjectConfig.sources), for messages and describe(). */
  sources?: Record<string, string>;
}

interface Registration {
  dataset: AbstractDataset;
  entry?: CatalogEntry;
  /** The catalog type name as written (`pickle.PickleDataSet`), or undefined for added datasets. */
  type?: string;
  pattern?: string;
  parameter?: boolean;
}

/**
 * The registry of a run's datasets (Kedro's DataCatalog): built from catalog entries, it resolves
 * dataset factories, `params:` inputs, credentials and versions, and gives nodes' inputs and
 * outputs by name. Intermediates not in the catalog become MemoryDatasets (`ensure`, `save`).
 */
export class DataCatalog {
  private readonly datasets = new Map<string, Registration>();
  private readonly patterns: Array<{ compiled: DatasetPattern; entry: CatalogEntry }> = [];

  private entries: Record<string, unknown> = {};

  private constructor(private readonly opts: CatalogOptions) {}

  /**
   * What this catalog was built from (entries and options, save version fixed), so that a worker
   * thread can build an equivalent one with `fromConfig`. Holds credentials: never print it.
   */
  toConfig(): { entries: Record<string, unknown>; options: CatalogOptions } {
    return { entries: this.entries, options: { ...this.opts } };
  }

  /** The version versioned datasets save under in this run (`YYYY-MM-DDThh.mm.ss.sssZ`). */
  get saveVersion(): string {
    return this.opts.saveVersion!;
  }

  /**
   * Builds every explicit entry now (so a bad type or missing credentials fail before a run
   * starts); factory patterns are checked now and materialised when a name first matches.
   * Synchronous: dataset classes from optional modules are imported on first use.
   */
  static fromConfig(entries: Record<string, unknown>, opts: CatalogOptions): DataCatalog {
    // one save version for the whole run, as Kedro's session: all versioned outputs of a run
    // share a folder name, and worker threads rebuilding the catalog (toConfig) agree on it
    const catalog = new DataCatalog({ ...opts, saveVersion: opts.saveVersion ?? generateTimestamp() });
    catalog.entries = entries;
    const patternKeys: string[] = [];
    const patternEntries = new Map<string, CatalogEntry>();
    for (const [name, raw] of Object.entries(entries)) {
      if (name.startsWith('_')) continue; // YAML anchor / interpolation helpers, as in Kedro
      const entry = validateCatalogEntry(name, raw, ownValue(opts.sources, name));
      if (isPattern(name)) {
        patternKeys.push(name);
        patternEntries.set(name, entry);
        // check the type now (building would trip over placeholders in other values)
        const source = ownValue(opts.sources, name);
        const where = `Catalog entry '${name}'${source ? ` (${source})` : ''}`;
        if (!entry.type.includes('{') && !isKnownDatasetType(entry.type)) throw unknownTypeError(entry.type, where);
      } else {
        catalog.datasets.set(name, { dataset: catalog.build(name, entry), entry, type: entry.type });
      }
    }
    for (const pattern of sortPatterns(patternKeys)) {
      catalog.patterns.push({ compiled: compilePattern(pattern), entry: patternEntries.get(pattern)! });
    }
    for (const name of Object.keys(opts.loadVersions ?? {})) {
      if (!catalog.has(name)) {
        throw new DatasetNotFoundError(`--load-versions names dataset '${name}', which is not in the catalog.${suggestion(name, catalog.listDatasets())}`);
      }
      const reg = catalog.resolve(name);
      if (!(reg?.dataset instanceof VersionedDataset)) {
        throw new DatasetError(`--load-versions names dataset '${name}', which is not versioned (add 'versioned: true' to its catalog entry)`);
      }
    }
    return catalog;
  }

  /** Registers a dataset class for a `type:` name, for all catalogs (see dataset-types). */
  static registerDatasetType(typeName: string, ctor: DatasetConstructor): void {
    registerDatasetType(typeName, ctor);
  }

  /** True if the name is registered or matches a dataset factory pattern. */
  has(name: string): boolean {
    return this.datasets.has(name) || this.matchFactory(name) !== undefined;
  }

  /** The dataset for a name (materialising a factory match); unknown names are an error. */
  getDataset(name: string): AbstractDataset {
    const reg = this.resolve(name);
    if (!reg) {
      throw new DatasetNotFoundError(`Dataset '${name}' not found in the catalog.${suggestion(name, this.listDatasets())}`);
    }
    return reg.dataset;
  }

  /** The dataset for a name, creating a MemoryDataset if the catalog does not know it. */
  ensure(name: string): AbstractDataset {
    const reg = this.resolve(name);
    if (reg) return reg.dataset;
    return this.add(name, new MemoryDataset());
  }

  /** Registers a dataset object under a name; replacing an existing one must be asked for. */
  add(name: string, dataset: AbstractDataset, opts: { replace?: boolean } = {}): AbstractDataset {
    if (this.datasets.has(name) && !opts.replace) {
      throw new DatasetError(`Dataset '${name}' is already registered in the catalog`);
    }
    dataset.name = name;
    this.datasets.set(name, { dataset });
    return dataset;
  }

  async load(name: string): Promise<unknown> {
    return this.getDataset(name).load();
  }

  /**
   * Saves to the named dataset. A name the catalog does not know becomes a MemoryDataset, as
   * for a node's unregistered outputs (the runner relies on it); loads of unknown names fail.
   */
  async save(name: string, data: unknown): Promise<void> {
    await this.ensure(name).save(data);
  }

  /** False for unknown names (as Kedro), else whether the data is there. */
  async exists(name: string): Promise<boolean> {
    const reg = this.resolve(name);
    return reg ? reg.dataset.exists() : false;
  }

  /** Frees in-memory data held for the name (no-op for persisted datasets and unknown names). */
  release(name: string): void {
    this.datasets.get(name)?.dataset.release();
  }

  /** Registered names (catalog entries, materialised factory matches, params, added), in order. */
  listDatasets(): string[] {
    return [...this.datasets.keys()];
  }

  /** Factory patterns, in matching order. */
  listPatterns(): string[] {
    return this.patterns.map((p) => p.compiled.pattern);
  }

  /** The pattern a name would be resolved with, if it is not an explicit entry. */
  matchFactory(name: string): string | undefined {
    if (this.datasets.has(name)) return undefined;
    return this.patterns.find((p) => matchPattern(p.compiled, name))?.compiled.pattern;
  }

  /**
   * Adds parameters as datasets: `parameters` (all of them) and `params:<key>` for every key,
   * nested ones too (`params:model.lr`), as Kedro's feed dict. Replaces earlier ones.
   */
  addFeedDict(params: Record<string, unknown>): void {
    this.addParameter('parameters', params);
    const walk = (obj: Record<string, unknown>, prefix: string) => {
      for (const [key, value] of Object.entries(obj)) {
        const dotted = prefix ? `${prefix}.${key}` : key;
        this.addParameter(`params:${dotted}`, value);
        if (isMapping(value)) walk(value, dotted);
      }
    };
    walk(params, '');
  }

  /**
   * What a dataset is, for `dqm catalog list` and the dashboard: the catalog type as written,
   * the class, filepath, layer, metadata, whether it persists, and the config file it came from.
   * Credentials never appear, whatever the dataset's own describe() returns.
   */
  describe(name: string): Record<string, unknown> {
    const reg = this.resolve(name);
    if (!reg) throw new DatasetNotFoundError(`Dataset '${name}' not found in the catalog.${suggestion(name, this.listDatasets())}`);
    const { dataset, entry } = reg;
    const { type: className, ...own } = dataset.describe();
    const out: Record<string, unknown> = {
      name,
      ...own,
      type: reg.type ?? className,
      datasetClass: dataset instanceof VersionedDataset ? own.dataset : className,
      filepath: dataset.filepath,
      layer: dataset.metadata.layer,
      metadata: entry?.metadata,
      persisted: dataset.persisted,
      versioned: entry?.versioned === true,
      source: this.opts.sources?.[reg.pattern ?? name],
    };
    if (reg.pattern) out.pattern = reg.pattern;
    if (reg.parameter) out.parameter = true;
    return stripCredentials(Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined))) as Record<string, unknown>;
  }

  /**
   * The entry a name resolves to, as configured (Kedro's resolve_patterns): an explicit entry or
   * the factory pattern's entry with the placeholders filled in; undefined for parameters, added
   * datasets and unknown names. A credentials name stays (it is not secret), inline ones go.
   */
  resolvedConfig(name: string): Record<string, unknown> | undefined {
    const reg = this.resolve(name);
    if (!reg?.entry) return undefined;
    const { credentials, ...rest } = reg.entry;
    return typeof credentials === 'string' ? { ...rest, credentials } : rest;
  }

  private addParameter(name: string, value: unknown): void {
    const ds = new MemoryDataset({ data: value });
    ds.name = name;
    this.datasets.set(name, { dataset: ds, parameter: true });
  }

  private resolve(name: string): Registration | undefined {
    const known = this.datasets.get(name);
    if (known) return known;
    for (const { compiled, entry } of this.patterns) {
      const vars = matchPattern(compiled, name);
      if (!vars) continue;
      const resolved = substitute(entry, vars, compiled.pattern) as CatalogEntry;
      const reg: Registration = { dataset: this.build(name, resolved, compiled.pattern), entry: resolved, type: resolved.type, pattern: compiled.pattern };
      this.datasets.set(name, reg);
      return reg;
    }
    return undefined;
  }

  /** One dataset from its entry: credentials looked up, versioning wrapped, metadata attached. */
  private build(name: string, entry: CatalogEntry, pattern?: string): AbstractDataset {
    const source = ownValue(this.opts.sources, pattern ?? name);
    const where = `Catalog entry '${pattern ?? name}'${source ? ` (${source})` : ''}`;
    let split: { credentials: unknown; config: Record<string, unknown> };
    try {
      split = this.splitCredentials(entry, where);
    } catch (error) {
      // Missing credentials only matter to the pipelines that use this dataset: fail there.
      if (!(error instanceof DatasetError) || error.code !== 'CREDENTIALS_NOT_FOUND') throw error;
      if (!isKnownDatasetType(entry.type)) throw unknownTypeError(entry.type, where);
      const unavailable = new UnavailableDataset(error);
      unavailable.name = name;
      return unavailable;
    }
    const { credentials, config } = split;
    const ctx: DatasetContext = {
      projectRoot: this.opts.projectRoot,
      credentials,
      createDataset: (cfg, extra) => createDataset(String(cfg.type), cfg, { ...ctx, ...extra, version: undefined }, where),
    };
    let dataset: AbstractDataset;
    try {
      if (entry.versioned) {
        if (typeof entry.filepath !== 'string') throw new DatasetError(`${where} has 'versioned: true' but no 'filepath'`);
        const version = { load: ownValue(this.opts.loadVersions, name), save: this.opts.saveVersion };
        const make = (filepath: string) => createDataset(entry.type, { ...config, filepath, versioned: false }, { ...ctx, version }, where);
        make(entry.filepath); // fail now on a bad type or config, not at the first save
        dataset = new VersionedDataset(entry.filepath, this.opts.projectRoot, make, version.load, version.save);
      } else {
        dataset = createDataset(entry.type, config, ctx, where);
      }
    } catch (error) {
      if (error instanceof DatasetError && error.message.startsWith(where)) throw error;
      throw new DatasetError(`${where}: ${messageOf(error)}`, { cause: error });
    }
    dataset.name = name;
    const layer = entry.layer ?? entry.metadata?.['kedro-viz']?.layer;
    dataset.metadata = { ...(entry.metadata ?? {}), ...(layer === undefined ? {} : { layer }) };
    return dataset;
  }

  /**
   * `credentials: name` is looked up in the credentials mapping (the name stays in the config,
   * it is not secret; the values go only to the constructor's ctx). An inline mapping is moved
   * out of the config for the same reason. A missing name lists the defined names, never values.
   */
  private splitCredentials(entry: CatalogEntry, where: string): { credentials: unknown; config: Record<string, unknown> } {
    const config: Record<string, unknown> = { ...entry };
    const ref = entry.credentials;
    if (ref === undefined) return { credentials: undefined, config };
    if (typeof ref !== 'string') {
      delete config.credentials;
      return { credentials: ref, config };
    }
    const all = this.opts.credentials ?? {};
    if (!Object.prototype.hasOwnProperty.call(all, ref)) {
      const defined = Object.keys(all);
      throw new DatasetError(
        `${where} uses credentials '${ref}', which are not defined in credentials*.yml (conf/base or the run environment). ` +
          `Defined credentials: ${defined.length ? defined.map((d) => `'${d}'`).join(', ') : 'none'}.${suggestion(ref, defined)}`,
        { code: 'CREDENTIALS_NOT_FOUND' },
      );
    }
    return { credentials: all[ref], config };
  }
}

/** `record[key]` if it is the record's own (a dataset named `constructor` is not Object's). */
function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** A copy without any `credentials` key, at any depth (the name alone is fine, but keep one rule). */
function stripCredentials(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripCredentials);
  if (!isMapping(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'credentials').map(([k, v]) => [k, stripCredentials(v)]));
}
