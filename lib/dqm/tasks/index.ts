export { LumiMask, loadLumiMask, checkMaskInData } from './lumi-mask';
export type { MaskUse } from './lumi-mask';
export type { GoldenJson, LsRange } from './lumi-mask';
export { loadTask, taskFromConfig, resolveTask, listTasks } from './task';
export type { Task } from './task';
export { LumiMaskError, TaskError } from './errors';
