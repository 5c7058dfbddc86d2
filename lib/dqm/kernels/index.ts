export { summaryStatistics } from './summary-statistics';
export type { SummaryStatistics } from './summary-statistics';
export { centerOfMass } from './center-of-mass';
export type { CenterOfMass } from './center-of-mass';
export { meanImage, meanImageSet } from './mean-image';
export { imagesRmse } from './images-rmse';
export type { ImagesRmse } from './images-rmse';
export { projections, mapSums } from './projections';
