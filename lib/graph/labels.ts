/**
 * What a node's box says. Inside a modular pipeline the namespace is shown by the box around it,
 * so the label drops it (`layer_1.compute_rmse_node` reads `compute_rmse_node` in layer_1's
 * box); the full name stays in the tooltip and the metadata panel.
 */
export function shortName(name: string, enclosing: readonly string[]): string {
  for (let i = enclosing.length - 1; i >= 0; i--) {
    const ns = enclosing[i]!;
    if (name.startsWith(`${ns}.`) && name.length > ns.length + 1) return name.slice(ns.length + 1);
  }
  return name;
}

/** Kedro-Viz's "pretty names": `compute_rmse_node` -> `Compute Rmse Node`, `params:a.b` -> `Params: A B`. */
export function prettyName(name: string): string {
  return name
    .replace(/^params:/, 'params: ')
    .split(/[_.\s]+/)
    .filter(Boolean)
    .map((w) => `${w[0]!.toUpperCase()}${w.slice(1)}`)
    .join(' ');
}

/**
 * At most `max` characters, cut in the middle (`strategy_mean…layer_1`): two long names that
 * share a prefix stay different on screen, which an ellipsis at the end would not keep.
 */
export function middleEllipsis(label: string, max: number): string {
  if (label.length <= max) return label;
  const keep = max - 1;
  const head = Math.ceil(keep / 2);
  return `${label.slice(0, head)}…${label.slice(label.length - (keep - head))}`;
}

/** The longest label drawn in full; longer ones are cut in the middle. */
export const LABEL_MAX_CHARS = 44;

/** The label of a node in the graph: short in its box, pretty when asked, never longer than LABEL_MAX_CHARS. */
export function nodeLabel(name: string, enclosing: readonly string[], pretty: boolean): string {
  const short = shortName(name, enclosing);
  return middleEllipsis(pretty ? prettyName(short) : short, LABEL_MAX_CHARS);
}
