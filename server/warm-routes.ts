/**
 * Next loads a route handler's compiled module on the route's first request; with source maps
 * on (the project's TypeScript stack traces, cli/main.ts) Node also reads and parses each
 * module's .map file. For the run routes that was ~100 ms of the event loop at the page's first
 * "Run" click, while every other request waited (bench:load profile). These read-only GETs,
 * sent to the server itself just after it starts, load them first, with source maps off (as
 * for Next's own start-up: its frames need no mapping). An unknown run id only costs a 404.
 */
const WARM_PATHS = ['/api/runs', '/api/runs/warm-up', '/api/runs/warm-up/logs', '/api/runs/warm-up/events'];

export async function warmRoutes(origin: string, token: string | undefined): Promise<void> {
  const was = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    for (const p of WARM_PATHS) {
      try {
        const res = await fetch(`${origin}${p}`, { headers: token ? { authorization: `Token ${token}` } : {}, signal: AbortSignal.timeout(5000) });
        await res.arrayBuffer();
      } catch {
        // A route that fails here loads on its first real request instead: nothing is lost.
      }
    }
  } finally {
    process.setSourceMapsEnabled(was);
  }
}
