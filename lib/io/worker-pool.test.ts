import { describe, expect, it } from 'vitest';
import { DqmError } from '../errors';
import { WorkerPool, workerPoolStats } from './worker-pool';

const ENTRY = new URL('./pool-worker.fixtures.ts', import.meta.url).href;
type Req = { op: 'double' | 'fail' | 'exit'; values?: Float64Array };

describe('WorkerPool (decodes off the event loop)', () => {
  it('answers on its threads, counts the tasks, and keeps an error\'s message and code', async () => {
    const pool = new WorkerPool<Req, Float64Array>('test-double', ENTRY, 2);
    const answers = await Promise.all([1, 2, 3, 4, 5].map((k) => pool.run({ op: 'double', values: Float64Array.of(k, -k) })));
    expect(answers.map((a) => Array.from(a))).toEqual([[2, -2], [4, -4], [6, -6], [8, -8], [10, -10]]);
    expect(answers[0]).toBeInstanceOf(Float64Array);
    const error = await pool.run({ op: 'fail' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DqmError);
    expect((error as DqmError).message).toBe('data/x.h5 is not a histogram set: no values');
    expect((error as DqmError).code).toBe('CORRUPT_FILE');
    expect(workerPoolStats()['test-double']).toEqual({ threads: 2, tasks: 5, failures: 1 });
  });

  it('a thread that dies fails its request with the exit, and the next request gets a new thread', async () => {
    const pool = new WorkerPool<Req, Float64Array>('test-crash', ENTRY, 1);
    await expect(pool.run({ op: 'exit' })).rejects.toThrow('A decode thread of pool test-crash exited (exit code 3) before answering');
    expect(Array.from(await pool.run({ op: 'double', values: Float64Array.of(21) }))).toEqual([42]);
    expect(workerPoolStats()['test-crash']).toMatchObject({ threads: 1, tasks: 1, failures: 1 });
  });
});
