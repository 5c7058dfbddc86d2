export { ConfigError } from './errors';
export { availableEnvs, loadConfig, loadConfigSync, type LoadConfigOptions, type ProjectConfig } from './loader';
export { BUILT_IN_RESOLVERS, type CustomResolver } from './interpolate';
export { parseLoadVersions, parseRuntimeParams } from './runtime-params';
export { deepMerge, describeType, getNested, hasNested, isPlainObject, setNested, type ConfigMap } from './merge';
export { catalogEntrySchema, validateCatalogEntry, type CatalogEntry } from './catalog-schema';
export { parseConfigText, readConfigFile } from './yaml-file';
export { configFilesOf, CONFIG_KINDS, type ConfigKind } from './files';
