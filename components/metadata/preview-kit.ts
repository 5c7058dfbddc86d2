/** What every preview component shares: where it is drawn and the node it previews. */
export type PreviewSize = 'panel' | 'full';
export interface PreviewNode {
  id: string;
  pipeline: string | null;
}

export function themeLayout(dark: boolean): Record<string, unknown> {
  return dark ? { paper_bgcolor: '#111827', plot_bgcolor: '#111827', font: { color: '#e5e7eb' } } : { paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff' };
}
