import type { Metadata } from 'next';
import { RunsApp } from '../../components/runs/RunsApp';

export const metadata: Metadata = { title: 'DQM Playground — runs' };

// A static shell: the runs come from /api/runs/* at run time (the project is loaded by `dqm viz`).
export default function Page() {
  return <RunsApp />;
}
