import type { Command } from 'commander';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readLegacyHsetFile, writeHistogramSetFile } from '../../lib/dqm';
import { CliError } from '../errors';
import { action } from '../shared';

/**
 * `dqm convert FILE.hset...`: rewrites histogram sets of the retired `.hset` format as HDF5
 * beside them (`FILE.h5`, atomically); the old file is kept until the catalog points at the new one.
 */
export function register(program: Command): void {
  program
    .command('convert')
    .description('Convert histogram sets from the old .hset format to HDF5 (FILE.hset -> FILE.h5, beside it)')
    .argument('<files...>', '.hset files (relative to the current directory)')
    .action(
      action(async (files: string[]) => {
        for (const file of files) {
          const abs = path.resolve(process.cwd(), file);
          const head = await firstBytes(abs).catch((error: NodeJS.ErrnoException) => {
            throw new CliError(`Cannot convert ${file}: ${error.code === 'ENOENT' ? 'file not found' : error.message}`, { cause: error });
          });
          if (head !== 'DQMHSET1') throw new CliError(`Cannot convert ${file}: it is not an old .hset file${head.slice(1, 4) === 'HDF' ? ' (it is HDF5 already)' : ''}`);
          const set = await readLegacyHsetFile(abs, file);
          const out = abs.replace(/(\.hset)?$/, '.h5');
          await writeHistogramSetFile(out, set);
          const shown = path.relative(process.cwd(), out);
          process.stdout.write(`${file} -> ${shown} (${set.run.length} LS, ${set.ny}×${set.nx}); point its catalog filepath at ${shown}\n`);
        }
      }),
    );
}

async function firstBytes(file: string): Promise<string> {
  const fh = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(8);
    await fh.read(head, 0, 8, 0);
    return head.toString('latin1');
  } finally {
    await fh.close();
  }
}
