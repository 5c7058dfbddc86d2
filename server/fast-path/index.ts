export { makeFastApi } from './fast-api';
export { watchEventLoop, loopStats, timeAnswer } from './loop-stats';
export { acceptsGzip, gzipEtag, matchesEtag, SerialisedBodies } from './cached-json';
export { makeStaticAssets } from './static-assets';
export { makePrerenderedPages } from './prerendered-pages';
