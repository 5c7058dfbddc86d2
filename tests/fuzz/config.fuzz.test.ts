import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { loadConfigSync, parseRuntimeParams, parseConfigText } from '../../lib/config';
import { fuzzParams, mutated, onlyTypedErrors, RUNS } from './fuzz.fixtures';

const REPO = path.resolve(__dirname, '../..');
const confFiles = ['conf/base/catalog.yml', 'conf/base/parameters.yml', 'conf/base/credentials.yml', ...fs.readdirSync(path.join(REPO, 'conf/base/parameters')).map((f) => `conf/base/parameters/${f}`)];
const seeds = confFiles.map((f) => new Uint8Array(fs.readFileSync(path.join(REPO, f))));
const yamlish = fc
  .array(fc.constantFrom('a', 'b', ':', ' ', '  ', '\t', '\n', '- ', '{', '}', '[', ']', ',', '&x', '*x', '<<: *x', '${a}', '${oc.env:HOME}', '${globals:x}', '"', "'", '#', '!!binary', '!!python/object', 'type: json.JSONDataset', 'filepath: ', '1e999', '~', 'true', '?', '|', '>'), { maxLength: 80 })
  .map((t) => t.join(''));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-fuzz-conf-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fuzz: config loader', () => {
  it('fuzz: YAML-ish text gives a mapping or a ConfigError', () => {
    fc.assert(fc.property(yamlish, (t) => onlyTypedErrors(() => parseConfigText(t, 'conf/base/fuzz.yml'))), fuzzParams(RUNS * 2));
  });
  it('fuzz: mutated real conf files, loaded as a project (catalog, parameters, interpolation)', () => {
    let i = 0;
    fc.assert(
      fc.property(mutated(seeds), fc.constantFrom('catalog.yml', 'parameters.yml', 'credentials.yml'), (bytes, name) => {
        const root = path.join(dir, String(i++ % 4));
        fs.rmSync(root, { recursive: true, force: true });
        fs.mkdirSync(path.join(root, 'conf/base'), { recursive: true });
        fs.mkdirSync(path.join(root, 'conf/local'), { recursive: true });
        fs.writeFileSync(path.join(root, 'conf/base', name), bytes);
        onlyTypedErrors(() => loadConfigSync(root, 'local'));
      }),
      fuzzParams(Math.ceil(RUNS / 2)),
    );
  });
  it('fuzz: --params text gives values or a ConfigError', () => {
    const t = fc.array(fc.constantFrom('a', '.', '=', ',', '[', ']', '{', '}', '1', ':', ' ', '"', "'", 'b.c', '..', '=='), { maxLength: 30 }).map((x) => x.join(''));
    fc.assert(fc.property(fc.oneof(t, fc.string()), (s) => onlyTypedErrors(() => parseRuntimeParams(s))), fuzzParams());
  });
});
