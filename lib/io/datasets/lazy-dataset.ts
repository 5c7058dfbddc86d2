import { AbstractDataset } from '../dataset';
import type { DatasetConstructor, DatasetContext } from '../dataset-context';

/**
 * Stands in for a dataset whose class is imported on first use (types registered with a loader
 * function): catalog creation stays synchronous, and a module that is heavy or optional is only
 * loaded by runs that need it. Every call goes to the real dataset once it is built.
 */
export class LazyDataset<T = unknown> extends AbstractDataset<T> {
  private real: Promise<AbstractDataset<T>> | undefined;

  constructor(
    private readonly typeName: string,
    private readonly loader: () => Promise<DatasetConstructor>,
    private readonly config: Record<string, unknown>,
    private readonly ctx: DatasetContext,
  ) {
    super();
  }

  override get filepath(): string | undefined {
    const p = this.config.filepath ?? this.config.path;
    return typeof p === 'string' ? p : undefined;
  }

  /** The real dataset (imports its module and constructs it on first call). */
  resolve(): Promise<AbstractDataset<T>> {
    this.real ??= this.loader().then((Ctor) => {
      const ds = new Ctor(this.config, this.ctx) as AbstractDataset<T>;
      ds.name = this.name;
      ds.metadata = this.metadata;
      return ds;
    });
    return this.real;
  }

  protected async doLoad(): Promise<T> {
    return (await this.resolve()).load();
  }

  protected async doSave(data: T): Promise<void> {
    return (await this.resolve()).save(data);
  }

  protected async doExists(): Promise<boolean> {
    return (await this.resolve()).exists();
  }

  protected doDescribe(): Record<string, unknown> {
    return { type: this.typeName, filepath: this.filepath };
  }
}
