/** `dqm viz build` and `dqm viz --base-path`: their failure paths, exact stderr line and exit code. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../../lib/session/temp-project.fixtures';
import { sharedPath } from '../../tests/shared-data.fixtures';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-viz-share-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const dqm = (...args: string[]) => spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '', FORCE_COLOR: '0' } });
const SHARED = sharedPath('data/kedro-viz/spaceflights.mock.json');

describe('dqm viz build and --base-path', () => {
  it('refuses to write into a folder that holds something else', () => {
    mkdirSync(path.join(dir, 'mine'));
    writeFileSync(path.join(dir, 'mine', 'thesis.tex'), 'do not delete');
    const r = dqm('viz', 'build', '--output', 'mine', '--load-file', SHARED);
    expect(r.stderr).toBe("Error: Output folder 'mine' is not empty and is not a previous `dqm viz build`: choose an empty or new folder\n");
    expect(r.status).toBe(1);
  });

  it('refuses a bad --max-ls and a --base-path that is not a URL path', () => {
    const a = dqm('viz', 'build', '--output', 'site', '--max-ls', '0', '--load-file', SHARED);
    expect(a.stderr).toBe("Error: --max-ls must be a positive integer, got '0'\n");
    expect(a.status).toBe(1);
    const b = dqm('viz', '--no-browser', '--load-file', SHARED, '--base-path', '/user/"x"/');
    expect(b.stderr).toBe('Error: --base-path must be a URL path such as /user/NAME/proxy/4141/, got \'/user/"x"/\'\n');
    expect(b.status).toBe(1);
    const c = dqm('viz', '--no-browser', '--simulate-if-missing', 'many');
    expect(c.stderr).toBe("Error: --simulate-if-missing takes a number of lumisections (a positive integer), got 'NaN'\n");
    expect(c.status).toBe(1);
  });
});
