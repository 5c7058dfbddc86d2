import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMaskInData, loadLumiMask, LumiMask, LumiMaskError } from './index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-in-data-'));
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
// the data: run 297047 LS 1-10, run 297050 LS 1-5
const run = [...Array(10).fill(297047), ...Array(5).fill(297050)];
const lumi = [...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 5 }, (_, i) => i + 1)];
const use = (file: string) => ({ file, dataset: 'chargeInner_PXLayer_1.raw' });

describe('checkMaskInData: a mask naming LS the data lacks', () => {
  it('passes when every LS of the mask is in the data', () => {
    const f = write('ok.json', '{"297047": [[1, 10]], "297050": [[2, 3]]}');
    expect(() => checkMaskInData(loadLumiMask(f), run, lumi, use(f))).not.toThrow();
  });

  it('names the file, the line of the run, the first missing run and LS, and how many', () => {
    const f = write('pixel_good.json', '{\n  "297047": [[1, 10]],\n  "297050": [[1, 3], [5, 8]],\n  "297099": [[1, 2]]\n}\n');
    let error: unknown;
    try {
      checkMaskInData(loadLumiMask(f), run, lumi, use(f));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LumiMaskError);
    expect((error as Error).message).toBe(
      `${f}: line 3 (run 297050, LS 6): the mask names 5 lumisections that chargeInner_PXLayer_1.raw lacks (run 297050 LS 6-8, run 297099 LS 1-2; the data has runs 297047, 297050)`,
    );
  });

  it('dataRunsOnly ignores runs the data does not have (a whole-year Golden JSON); CSV masks name their row', () => {
    const f = write('year.json', '{"297047": [[1, 10]], "300000": [[1, 500]]}');
    expect(() => checkMaskInData(loadLumiMask(f), run, lumi, { ...use(f), dataRunsOnly: true })).not.toThrow();
    const csv = write('develop.csv', 'run,lumisection\n297047,3\n297047,11\n');
    expect(() => checkMaskInData(loadLumiMask(csv), run, lumi, use(csv))).toThrow(
      `${csv}: line 3 (run 297047, LS 11): the mask names 1 lumisection that chargeInner_PXLayer_1.raw lacks (run 297047 LS 11; the data has runs 297047, 297050)`,
    );
    // an inline mask has no file to look a line up in
    expect(() => checkMaskInData(LumiMask.fromPairs([297050], [9]), run, lumi, use("task 'x' develop"))).toThrow(
      "task 'x' develop (run 297050, LS 9): the mask names 1 lumisection that chargeInner_PXLayer_1.raw lacks",
    );
  });
});
