import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempPathFor } from './atomic-write';
import { removeStaleTempFiles } from './stale-temp';

describe('removeStaleTempFiles', () => {
  it('removes temp files and folders of dead writers only, and nothing else', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-stale-'));
    try {
      const write = (rel: string, text = 'x') => {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      };
      write('03_primary/a.parquet');
      write('03_primary/a.parquet.tmp-999999-0123abcd', 'half');
      write('04_feature/l1/b.csv.tmp-888888-89abcdef');
      fs.mkdirSync(path.join(dir, '01_raw/parts.tmp-777777-deadbeef.old'), { recursive: true });
      write('04_feature/l1/c.csv.tmp-424242-0123abcd'); // writer alive
      write('04_feature/notes.tmp-1-2'); // not our pattern
      const mine = tempPathFor(path.join(dir, 'mine.json'));
      write(path.relative(dir, mine));
      const removed = removeStaleTempFiles(dir, { isAlive: (pid) => pid === 424242 }).map((f) => path.relative(dir, f)).sort();
      expect(removed).toEqual(['01_raw/parts.tmp-777777-deadbeef.old', '03_primary/a.parquet.tmp-999999-0123abcd', '04_feature/l1/b.csv.tmp-888888-89abcdef']);
      for (const kept of ['03_primary/a.parquet', '04_feature/l1/c.csv.tmp-424242-0123abcd', '04_feature/notes.tmp-1-2', path.relative(dir, mine)]) expect(fs.existsSync(path.join(dir, kept))).toBe(true);
      expect(removeStaleTempFiles(path.join(dir, 'missing'))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
