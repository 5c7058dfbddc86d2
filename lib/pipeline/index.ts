export { node, Node, isParameter } from './node';
export type { NodeFunction, NodeInputs, NodeOptions, NodeOutputs, ParameterIssue, ParameterSchema, ParameterSchemas } from './node';
export { stripTranscoding, transcodeSplit, TRANSCODING_SEPARATOR } from './transcoding';
export { Pipeline, add, subtract, intersect, union, DEFAULT_PIPELINE } from './pipeline';
export type { PipelineFilter } from './pipeline';
export { pipeline } from './modular';
export type { DatasetMapping, ModularPipelineOptions } from './modular';
export { PipelineError, CircularDependencyError, OutputNotUniqueError, NodeError } from './errors';
