export { makeFastApi } from './fast-api';
export { watchEventLoop, loopStats } from './loop-stats';
export { matchesEtag, SerialisedBodies } from './cached-json';
