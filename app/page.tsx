import { VizApp } from '../components/VizApp';

// A static shell: the graph comes from /api/main at run time (the project is loaded by `dqm viz`).
export default function Page() {
  return <VizApp />;
}
