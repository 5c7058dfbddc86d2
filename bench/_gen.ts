import fs from 'node:fs';
import { syntheticGraph } from '../lib/viz/synthetic';
fs.writeFileSync(process.argv[2]!, JSON.stringify(syntheticGraph(Number(process.argv[3]))));
