import { isBlockReadable, materialise } from '../data';

/**
 * A catalog value for the dashboard, maps in memory: a file-backed set (a `lazy: true`
 * HistogramSetDataset) is materialised here, explicitly, because plots and the LS slider index
 * any LS; the value caches keep it as before. Previews of one LS go through loadLs instead.
 */
export async function loadInMemory(catalog: { load(name: string): Promise<unknown> }, name: string): Promise<unknown> {
  const value = await catalog.load(name);
  return isBlockReadable(value) ? materialise(value) : value;
}
