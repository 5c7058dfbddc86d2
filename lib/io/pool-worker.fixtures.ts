// A decode thread for worker-pool.test.ts: doubles numbers (buffer transferred), fails with a
// coded error, or exits the thread (a crash).
import { DatasetError } from './errors';
import { servePool } from './worker-pool';

servePool<{ op: 'double' | 'fail' | 'exit'; values?: Float64Array }, Float64Array>(async (req) => {
  if (req.op === 'fail') throw new DatasetError('data/x.h5 is not a histogram set: no values', { code: 'CORRUPT_FILE' });
  if (req.op === 'exit') process.exit(3);
  const out = Float64Array.from(req.values!, (v) => v * 2);
  return { value: out, transfer: [out.buffer] };
});
