/**
 * Where the tests find the real shared data (read-only, never copied into the project): ../shared
 * beside the checkout (/work/main). A git worktree is not beside it, so DQM_SHARED (vitest) or
 * DQM_SHARED_DIR (Playwright) overrides it. The one place every test and benchmark resolves it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const SHARED_DIR = path.resolve(process.env.DQM_SHARED ?? process.env.DQM_SHARED_DIR ?? path.resolve(REPO, '../shared'));

/** A path inside the shared folder, e.g. sharedPath('data/run316187'). */
export const sharedPath = (...parts: string[]): string => path.join(SHARED_DIR, ...parts);
