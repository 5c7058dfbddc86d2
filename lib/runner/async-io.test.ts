/**
 * `--async` (Kedro's is_async): a node's inputs load, and its outputs save, concurrently. Proved
 * by a real dataset that counts the loads (and saves) in flight at once, waiting for the others
 * before it finishes: concurrency shows as a count, not as a duration.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AbstractDataset, DataCatalog } from '../io';
import { node, Pipeline } from '../pipeline';
import { runPipeline, type Hooks } from './index';

/** Each load/save enters, waits until `group` operations are in flight (at most 100 ms), then leaves. */
class RendezvousDataset extends AbstractDataset<number> {
  static inFlight = 0;
  static maxInFlight = 0;
  static group = 3;
  private static waiters: Array<() => void> = [];
  static reset(): void {
    this.inFlight = 0;
    this.maxInFlight = 0;
  }

  constructor(private value: number) {
    super();
  }

  private async meet(): Promise<void> {
    const self = RendezvousDataset;
    self.inFlight++;
    self.maxInFlight = Math.max(self.maxInFlight, self.inFlight);
    if (self.inFlight >= self.group) self.waiters.splice(0).forEach((w) => w());
    else await new Promise<void>((resolve) => {
      self.waiters.push(resolve);
      setTimeout(resolve, 100).unref();
    });
    self.inFlight--;
  }

  protected async doLoad(): Promise<number> {
    await this.meet();
    return this.value;
  }
  protected async doSave(data: number): Promise<void> {
    await this.meet();
    this.value = data;
  }
  protected async doExists(): Promise<boolean> {
    return true;
  }
  protected doDescribe(): Record<string, unknown> {
    return {};
  }
}

const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-async-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sumAndSpread = (a: number, b: number, c: number) => [a + b + c, a * b * c, a - b - c];
const pipeline = new Pipeline([node(sumAndSpread, ['a', 'b', 'c'], ['sum', 'product', 'difference'], { name: 'spread' })]);

function catalog(): DataCatalog {
  const c = DataCatalog.fromConfig({}, { projectRoot: root });
  for (const [name, v] of Object.entries({ a: 1, b: 2, c: 3, sum: 0, product: 0, difference: 0 })) c.add(name, new RendezvousDataset(v));
  return c;
}

describe('async load and save', () => {
  it('sequentially, one dataset is loaded or saved at a time', async () => {
    RendezvousDataset.reset();
    await runPipeline(pipeline, catalog(), { runId: 'seq' });
    expect(RendezvousDataset.maxInFlight).toBe(1);
  });

  it('with isAsync the three inputs load at once, and the three outputs save at once', async () => {
    RendezvousDataset.reset();
    const seen: string[] = [];
    const hooks: Hooks[] = [
      {
        beforeDatasetLoaded: ({ dataset }) => void seen.push(`before load ${dataset}`),
        beforeNodeRun: ({ isAsync }) => void seen.push(`node isAsync=${isAsync}`),
      },
    ];
    const c = catalog();
    const result = await runPipeline(pipeline, c, { runId: 'async', isAsync: true, hooks });
    expect(result.status).toBe('success');
    expect(RendezvousDataset.maxInFlight).toBe(3);
    expect(seen).toEqual(['before load a', 'before load b', 'before load c', 'node isAsync=true']);
    expect(await Promise.all(['sum', 'product', 'difference'].map((d) => c.load(d)))).toEqual([6, 6, -4]);
  });

  it('one failing load fails the node once the others settle, naming the dataset', async () => {
    const c = catalog();
    c.add('b', new (class extends RendezvousDataset {
      protected override async doLoad(): Promise<number> {
        throw new Error('disk gone');
      }
    })(0), { replace: true });
    await expect(runPipeline(pipeline, c, { runId: 'bad', isAsync: true })).rejects.toThrow(
      "Node 'spread' failed: Failed while loading data from dataset 'b': disk gone. Resume the run with: dqm run --from-nodes spread",
    );
  });
});

describe('dataset hooks', () => {
  it('calls before/after load and save around each dataset, in order', async () => {
    const calls: string[] = [];
    const hooks: Hooks[] = [
      {
        beforeDatasetLoaded: ({ dataset, node: n }) => void calls.push(`beforeDatasetLoaded ${dataset} ${n.name}`),
        afterDatasetLoaded: ({ dataset, data }) => void calls.push(`afterDatasetLoaded ${dataset}=${String(data)}`),
        beforeDatasetSaved: ({ dataset, data }) => void calls.push(`beforeDatasetSaved ${dataset}=${String(data)}`),
        afterDatasetSaved: ({ dataset }) => void calls.push(`afterDatasetSaved ${dataset}`),
      },
    ];
    RendezvousDataset.group = 1;
    try {
      await runPipeline(new Pipeline([node((a: number) => a * 10, 'a', 'sum', { name: 'times_ten' })]), catalog(), { runId: 'h', hooks });
    } finally {
      RendezvousDataset.group = 3;
    }
    expect(calls).toEqual(['beforeDatasetLoaded a times_ten', 'afterDatasetLoaded a=1', 'beforeDatasetSaved sum=10', 'afterDatasetSaved sum']);
  });
});
