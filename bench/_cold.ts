import { startViz } from '../e2e/viz-server.fixtures';
for (let i = 0; i < 3; i++) {
  const v = await startViz([], { cwd: '/work/wt/load' });
  console.log('cold', v.coldStartMs.toFixed(0));
  await v.stop();
}
