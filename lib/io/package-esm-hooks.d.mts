/** An ES module file of a package in node_modules (not TypeScript, not CommonJS): loaded as plain Node loads it. */
export function isPackageEsm(url: string, format: string | undefined): boolean;
