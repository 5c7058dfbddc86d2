import { createHash } from 'node:crypto';

/** Kubernetes DNS-1123 label: lowercase alphanumerics and '-', alphanumeric at both ends, at most 63 characters. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX = 63;

/**
 * `layer_1.summary_statistics` -> `layer-1-summary-statistics`. Names too long keep a short hash
 * of the original, so two long names that share a prefix stay distinct.
 */
export function toDnsLabel(name: string, maxLength = MAX): string {
  let label = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!label) label = 'x';
  if (label.length > maxLength) {
    const hash = createHash('sha1').update(name).digest('hex').slice(0, 6);
    label = `${label.slice(0, maxLength - 7).replace(/-+$/, '')}-${hash}`;
  }
  return label;
}

/**
 * Allocates unique DNS labels for names, in the given order: a clash (after sanitising, or with a
 * reserved label) gets `-2`, `-3`, ... so every task and template name stays distinct.
 */
export function uniqueDnsLabels(names: Iterable<string>, reserved: Iterable<string> = []): Map<string, string> {
  const taken = new Set(reserved);
  const result = new Map<string, string>();
  for (const name of names) {
    if (result.has(name)) continue;
    const base = toDnsLabel(name);
    let label = base;
    for (let i = 2; taken.has(label); i++) {
      const suffix = `-${i}`;
      label = `${base.slice(0, MAX - suffix.length).replace(/-+$/, '')}${suffix}`;
    }
    taken.add(label);
    result.set(name, label);
  }
  return result;
}
