import type { Metadata } from 'next';
import { PlotsApp } from '../../components/plots/PlotsApp';

export const metadata: Metadata = { title: 'DQM Playground — plots' };

// A static shell: the data comes from /api/plots/* at run time (the project is loaded by `dqm viz`).
export default function Page() {
  return <PlotsApp />;
}
