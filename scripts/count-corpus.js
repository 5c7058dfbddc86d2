#!/usr/bin/env node
// Counts the bad-input corpus and the fuzz properties (issue 15: "keep the corpus growing; report
// the count"): cases in tests/bad-inputs/*.test.ts (`{ name: ... }` entries of the CASES table),
// documents of the CSV differential corpus, and fast-check properties (`fc.assert`) per fuzz file.
// Read from the test sources, so the figure is the one the suite runs.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (rel) => readFileSync(path.join(root, rel), 'utf8');
const count = (text, re) => (text.match(re) ?? []).length;

const badDir = 'tests/bad-inputs';
const badCases = readdirSync(path.join(root, badDir)).filter((f) => f.endsWith('.test.ts')).reduce((n, f) => n + count(read(`${badDir}/${f}`), /^\s*\{ name: /gm), 0);
const csvFuzz = read('tests/fuzz/csv.fuzz.test.ts');
const corpus = csvFuzz.slice(csvFuzz.indexOf('CSV_CORPUS'), csvFuzz.indexOf('\n};', csvFuzz.indexOf('CSV_CORPUS')));
const csvDocs = count(corpus, /^\s*'[^']+': /gm);
const fuzzFiles = readdirSync(path.join(root, 'tests/fuzz')).filter((f) => f.endsWith('.test.ts')).sort();
const perFile = fuzzFiles.map((f) => [f, count(read(`tests/fuzz/${f}`), /fc\.assert\(/g)]);
const properties = perFile.reduce((n, [, k]) => n + k, 0);

console.log(`bad-input corpus (through dqm run): ${badCases} cases`);
console.log(`CSV differential corpus (ours = csv-parse = Python csv): ${csvDocs} documents`);
console.log(`fuzz properties: ${properties} (${perFile.map(([f, k]) => `${f.replace('.test.ts', '')} ${k}`).join(', ')})`);
console.log(`total: ${badCases + csvDocs + properties}`);
