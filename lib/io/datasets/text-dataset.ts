import { writeFileAtomic } from '../atomic-write';
import type { DatasetContext } from '../dataset-context';
import { DatasetError } from '../errors';
import { FileDataset } from './file-dataset';

/** A UTF-8 text file (Kedro's `text.TextDataset`). */
export class TextDataset extends FileDataset<string> {
  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'TextDataset');
  }

  protected async doLoad(): Promise<string> {
    return (await this.readBytes()).toString('utf8');
  }

  protected async doSave(data: string): Promise<void> {
    if (typeof data !== 'string') throw new DatasetError(`TextDataset saves a string, got ${typeof data}`);
    await writeFileAtomic(this.path, data);
  }
}
