import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { registerRunManager, type RunManager } from '../../../lib/runs';
import { setRunService } from '../../../lib/services';
import { makeTempProject, SLOW_REGISTRY } from '../../../lib/session/temp-project.fixtures';
import { GET as getRun } from './[id]/route';
import { POST as cancelRun } from './[id]/cancel/route';
import { GET as runEvents } from './[id]/events/route';
import { GET as listRuns, POST as startRun } from './route';


const root = makeTempProject({ files: { 'pipelines/registry.ts': SLOW_REGISTRY } });
let manager: RunManager;
afterAll(async () => {
  await manager?.close({ cancelRunning: true });
  setRunService(undefined);
  rmSync(root, { recursive: true, force: true });
});

const post = (body: string) => new Request('http://x/api/runs', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

/** The whole SSE stream of a run, parsed: [event name, data] pairs. */
async function sse(id: string, headers: Record<string, string> = {}): Promise<Array<[string, Record<string, unknown>]>> {
  const res = await runEvents(new Request(`http://x/api/runs/${id}/events`, { headers }), params(id));
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('event: '))
    .map((block) => {
      const name = /^event: (.*)$/m.exec(block)![1]!;
      return [name, JSON.parse(/^data: (.*)$/m.exec(block)![1]!)];
    });
}

describe('/api/runs', () => {
  it('answers 503 with a clear message outside `dqm viz`', async () => {
    setRunService(undefined);
    const res = await listRuns(new Request('http://x/api/runs'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'NOT_STARTED', message: 'The dashboard API runs inside `dqm viz`; start it with `npx dqm viz`' } });
    manager = registerRunManager({ root });
  });

  it('starts a run (202), streams its events and lists it', async () => {
    const res = await startRun(post(JSON.stringify({ pipeline: 'main', params: { factor: 5 }, tags: [] })));
    expect(res.status).toBe(202);
    const { run } = (await res.json()) as { run: { id: string; status: string; startedBy: string } };
    expect(run).toMatchObject({ status: 'running', startedBy: 'dashboard' });

    const events = await sse(run.id);
    expect(events[0]![0]).toBe('run_started');
    expect(events.at(-2)).toEqual(['run_finished', expect.objectContaining({ status: 'success' })]);
    expect(events.at(-1)).toEqual(['end', {}]);
    expect(events.filter(([e]) => e === 'node_finished').map(([, d]) => d.node).sort()).toEqual(['count_of', 'make_report', 'scale', 'total_of']);
    // A client reconnecting after seq 3 gets the rest only.
    const rest = await sse(run.id, { 'last-event-id': '3' });
    expect(rest.length).toBe(events.length - 3);

    const details = (await (await getRun(new Request('http://x'), params(run.id))).json()) as { run: { status: string }; nodes: Array<{ status: string }> };
    expect(details.run.status).toBe('success');
    expect(details.nodes.map((n) => n.status)).toEqual(['done', 'done', 'done', 'done']);
    const list = (await (await listRuns(new Request('http://x/api/runs'))).json()) as { runs: Array<{ id: string }>; running: string | null };
    expect(list.runs.map((r) => r.id)).toEqual([run.id]);
    expect(list.running).toBeNull();
  });

  it('refuses a concurrent run with 409 naming the running one, and cancels', async () => {
    const first = (await (await startRun(post('{"pipeline":"slow"}'))).json()) as { run: { id: string } };
    const second = await startRun(post('{}'));
    expect(second.status).toBe(409);
    const body = (await second.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RUN_CONFLICT');
    expect(body.error.message).toMatch(new RegExp(`^A run is already in progress in this project: ${first.run.id} \\(started by dashboard`));
    const streamed = sse(first.run.id);
    const res = await cancelRun(new Request('http://x', { method: 'POST' }), params(first.run.id));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { run: { status: string } }).run.status).toBe('cancelled');
    const events = await streamed;
    expect(events.at(-2)).toEqual(['run_aborted', expect.objectContaining({ status: 'cancelled', reason: 'cancelled from the dashboard' })]);
  });

  it('answers 400 and 404 as JSON errors', async () => {
    const bad = await startRun(post('{pipeline'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_JSON');
    const unknown = await startRun(post('{"pipeline":"mian"}'));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: { code: 'UNKNOWN_PIPELINE', message: "Unknown pipeline 'mian'. Registered pipelines: __default__, failing, main, slow. Did you mean 'main'?" },
    });
    const missing = await getRun(new Request('http://x'), params('nope'));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'RUN_NOT_FOUND', message: `No run 'nope' in the run store (${manager.store.file})` });
    expect((await runEvents(new Request('http://x'), params('nope'))).status).toBe(404);
    expect((await cancelRun(new Request('http://x', { method: 'POST' }), params('nope'))).status).toBe(404);
  });
});
