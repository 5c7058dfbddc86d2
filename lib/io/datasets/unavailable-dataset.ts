import { AbstractDataset } from '../dataset';
import type { DatasetError } from '../errors';

/**
 * Stands in for a catalog entry that cannot be built for a reason that only matters when it is
 * used (today: credentials not defined). Kedro fails the whole catalog at start-up instead, so a
 * user without a website token could not even run the offline pipelines; here the error is
 * raised, unchanged, by the first load/save/exists of that one dataset.
 */
export class UnavailableDataset extends AbstractDataset<never> {
  constructor(private readonly reason: DatasetError) {
    super();
  }

  protected async doLoad(): Promise<never> {
    throw this.reason;
  }

  protected async doSave(): Promise<void> {
    throw this.reason;
  }

  protected async doExists(): Promise<boolean> {
    throw this.reason;
  }

  protected doDescribe(): Record<string, unknown> {
    return { unavailable: this.reason.message };
  }
}
