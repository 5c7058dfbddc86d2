import { DeployError } from './errors';
import { DEFAULT_PIPELINE } from '../pipeline';

/** Kubernetes `resources` of a container: requests and limits by resource name. */
export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

/** The short form used in tags and parameters: `cpu: 2, memory: 4Gi, gpu: 1`. */
interface ShortResources {
  cpu?: string;
  memory?: string;
  gpu?: string;
}

const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+)?$/;
const SHORT_KEYS = ['cpu', 'memory', 'gpu'] as const;
/** Tags that size a node: `cpu:2`, `memory:4Gi`, `gpu:1`. */
const TAG = /^(cpu|memory|gpu):(.*)$/;

/**
 * Where a node's resources come from, first match per resource wins:
 * 1. `params:argo.resources.<node or group name>`, 2. the node's tags (`cpu:2`, `memory:4Gi`, `gpu:1`),
 * 3. `params:argo.resources.__default__`.
 * Memory is set as request AND limit (a pod over its memory request is the first evicted);
 * CPU only as a request (a CPU limit throttles); a GPU only as a limit (`nvidia.com/gpu`), as Kubernetes requires.
 */
export function resourcesFor(
  name: string,
  tags: Iterable<string>,
  config: Record<string, unknown> | undefined,
): ResourceRequirements | undefined {
  const fromConfig = (key: string): ResourceRequirements | ShortResources | undefined => {
    const value = config?.[key];
    if (value === undefined || value === null) return undefined;
    return parseConfigEntry(key, value);
  };
  const explicit = fromConfig(name);
  if (explicit && isFull(explicit)) return explicit;
  const fromTags = parseTags(name, tags);
  const fallback = fromConfig(DEFAULT_PIPELINE);
  if (fallback && isFull(fallback) && !explicit && !Object.keys(fromTags).length) return fallback;
  const short: ShortResources = {};
  const fallbackShort = fallback && !isFull(fallback) ? fallback : {};
  for (const key of SHORT_KEYS) {
    const value = (explicit as ShortResources | undefined)?.[key] ?? fromTags[key] ?? fallbackShort[key];
    if (value !== undefined) short[key] = value;
  }
  return toRequirements(short);
}

/** Checks every entry of the `argo.resources` mapping at once, so a typo fails even if no task reads it. */
export function checkResources(config: Record<string, unknown> | undefined): void {
  for (const [key, value] of Object.entries(config ?? {})) parseConfigEntry(key, value);
}

/** Element-wise maximum: a group task must fit its most demanding node. */
export function maxResources(list: Array<ResourceRequirements | undefined>): ResourceRequirements | undefined {
  const out: ResourceRequirements = {};
  for (const r of list) {
    for (const part of ['requests', 'limits'] as const) {
      for (const [key, value] of Object.entries(r?.[part] ?? {})) {
        const current = out[part]?.[key];
        if (current === undefined || quantityValue(value) > quantityValue(current)) (out[part] ??= {})[key] = value;
      }
    }
  }
  return out.requests || out.limits ? out : undefined;
}

/** A Kubernetes quantity as a number (`500m` -> 0.5, `4Gi` -> 4·2³⁰), for comparisons only. */
export function quantityValue(q: string): number {
  const m = QUANTITY.exec(q);
  if (!m) return Number.NaN;
  const base = Number(m[1]);
  const suffix = m[3] ?? '';
  const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const decimal: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  if (suffix in binary) return base * binary[suffix]!;
  if (suffix in decimal) return base * decimal[suffix]!;
  return base * 10 ** Number(suffix.slice(1));
}

function parseTags(node: string, tags: Iterable<string>): ShortResources {
  const out: ShortResources = {};
  for (const tag of tags) {
    const m = TAG.exec(tag);
    if (!m) continue;
    const key = m[1] as keyof ShortResources;
    out[key] = checkQuantity(m[2]!, `tag '${tag}' of node '${node}'`);
  }
  return out;
}

function parseConfigEntry(key: string, value: unknown): ResourceRequirements | ShortResources {
  const where = `parameter argo.resources.${key}`;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new DeployError(`${where} must be a mapping like {cpu: 2, memory: 4Gi} or {requests: {...}, limits: {...}}, got ${JSON.stringify(value)}`);
  }
  const entry = value as Record<string, unknown>;
  if ('requests' in entry || 'limits' in entry) {
    const full: ResourceRequirements = {};
    for (const part of ['requests', 'limits'] as const) {
      const section = entry[part];
      if (section === undefined) continue;
      if (typeof section !== 'object' || section === null || Array.isArray(section)) {
        throw new DeployError(`${where}.${part} must be a mapping of resource name to quantity, got ${JSON.stringify(section)}`);
      }
      full[part] = Object.fromEntries(
        Object.entries(section).map(([k, v]) => [k, checkQuantity(String(v), `${where}.${part}.${k}`)]),
      );
    }
    return full;
  }
  const short: ShortResources = {};
  for (const [k, v] of Object.entries(entry)) {
    if (!(SHORT_KEYS as readonly string[]).includes(k)) {
      throw new DeployError(`${where} has unknown key '${k}' (expected cpu, memory, gpu, or requests/limits)`);
    }
    short[k as keyof ShortResources] = checkQuantity(String(v), `${where}.${k}`);
  }
  return short;
}

function checkQuantity(value: string, where: string): string {
  if (!QUANTITY.test(value)) {
    throw new DeployError(`Invalid resource quantity '${value}' in ${where} (expected e.g. 2, 500m, 4Gi)`);
  }
  return value;
}

function isFull(r: ResourceRequirements | ShortResources): r is ResourceRequirements {
  return 'requests' in r || 'limits' in r;
}

function toRequirements(s: ShortResources): ResourceRequirements | undefined {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (s.cpu) requests.cpu = s.cpu;
  if (s.memory) requests.memory = limits.memory = s.memory;
  if (s.gpu) limits['nvidia.com/gpu'] = s.gpu;
  const out: ResourceRequirements = {};
  if (Object.keys(requests).length) out.requests = requests;
  if (Object.keys(limits).length) out.limits = limits;
  return out.requests || out.limits ? out : undefined;
}
