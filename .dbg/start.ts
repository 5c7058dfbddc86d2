const t0 = performance.now();
const { cpuUsage } = process;
const c0 = cpuUsage();
await import('/tmp/dqm-real-wuK5/pipelines/registry.ts');
const c1 = cpuUsage(c0);
console.log('import registry', (performance.now() - t0).toFixed(0), 'ms wall', ((c1.user + c1.system) / 1000).toFixed(0), 'ms cpu');
