import fs from 'node:fs';
import { readPandasPickle, writePandasPickle } from './index';
const buf = fs.readFileSync(`/work/shared/data/run316187/Run_316187_0_clusterposition_PXLayer_1.pkl`);
const tb = readPandasPickle(buf);
for (let k = 0; k < 4; k++) {
  const t = performance.now();
  const out = writePandasPickle(tb);
  console.log('write', (performance.now() - t).toFixed(2), out.length, buf.length, Buffer.compare(out, buf));
  if (k === 0) fs.writeFileSync('/tmp/bwork/re1.pkl', out);
}
const back = readPandasPickle(fs.readFileSync('/tmp/bwork/re1.pkl'));
console.log(back.rowCount, Object.keys(back.columns), (back.columns.map as string[]).every((s, i) => s === (tb.columns.map as string[])[i]));
