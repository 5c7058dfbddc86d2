import { createHash } from 'node:crypto';
import { gzip } from 'node:zlib';
import { stringifyInSlices } from './sliced-json';

export interface CachedBody {
  body: Buffer;
  /** A strong validator of the body: its SHA-1, quoted. */
  etag: string;
  /** The body gzipped, once compressed (off the event loop, in libuv's thread pool); its ETag ends in `-gz"`. */
  gzip?: Buffer;
}

/** Bodies smaller than this go as they are: compressing them saves less than it costs. */
const GZIP_ABOVE = 2048;

/**
 * The JSON body of an answer, serialised once per answer object: the graph service returns the
 * SAME object while the project state (and a dataset's file) is unchanged, so an object seen
 * before needs no JSON.stringify; a reload or a new file version makes a new object, hence a
 * new body and ETag. Held weakly: dropped with the answer. The text is built in slices
 * (stringifyInSlices: a heatmap preview is 140 KB of JSON, one stall if done at once), and big
 * bodies are also gzipped once, in the background: under 200 connections, copying bodies into
 * sockets was the server's largest cost (profile of bench:load).
 */
export class SerialisedBodies {
  private readonly bodies = new WeakMap<object, Promise<CachedBody>>();
  of(value: object): Promise<CachedBody> {
    let hit = this.bodies.get(value);
    if (!hit) {
      hit = stringifyInSlices(value).then((text) => {
        const body = Buffer.from(text ?? 'null');
        const entry: CachedBody = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        if (body.length > GZIP_ABOVE) gzipInBackground(body, (zipped) => (entry.gzip = zipped));
        return entry;
      });
      this.bodies.set(value, hit);
      // A value that does not serialise (a cycle) is not kept: the caller hands the request on.
      hit.catch(() => this.bodies.delete(value));
    }
    return hit;
  }
}

/**
 * zlib level 1: measured here on a heatmap preview (400 KB of JSON) and an LS map (240 KB of
 * float32), level 6 costs 17-19 ms of CPU per body and level 1 2-4 ms, for bodies 10-20 %
 * bigger. Off the event loop but on the same 2 cores as the server and the run: after each run
 * the dashboard's ~30 previews were re-zipped, ~0.5 s of CPU at level 6 (bench:load).
 */
const GZIP_LEVEL = 1;

/**
 * Gzips `bytes` in libuv's thread pool (off the event loop) and hands the result to `done`;
 * a failure leaves the body uncompressed (it is still answered, as is).
 */
export function gzipInBackground(bytes: Uint8Array, done: (zipped: Buffer) => void): void {
  gzip(bytes, { level: GZIP_LEVEL }, (error, zipped) => {
    if (!error) done(zipped);
  });
}

/**
 * The gzipped form of binary answers (an LS map is 240 KB of float32), once per map: the service
 * returns the same bytes while the file is unchanged — the same array (one LS read from HDF5) or
 * a new view of the same loaded set, hence the key: the buffer, then the view's offset and length.
 * Until the background gzip is done (a few ms after the first ask), `of` is undefined and the
 * map goes as it is.
 */
export class GzippedBytes {
  private readonly zipped = new WeakMap<ArrayBufferLike, Map<string, Buffer | null>>();
  of(view: ArrayBufferView): Buffer | undefined {
    let views = this.zipped.get(view.buffer);
    if (!views) this.zipped.set(view.buffer, (views = new Map()));
    const key = `${view.byteOffset}:${view.byteLength}`;
    const hit = views.get(key);
    if (hit !== undefined) return hit ?? undefined;
    views.set(key, null);
    gzipInBackground(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), (z) => views.set(key, z));
    return undefined;
  }
}

/** The ETag of the gzipped representation (a different body, so a different strong validator). */
export function gzipEtag(etag: string): string {
  return `${etag.slice(0, -1)}-gz"`;
}

/** True when the request's If-None-Match names one of `etags` (or `*`); weak validators (W/) compare equal too. */
export function matchesEtag(ifNoneMatch: string | string[] | undefined, ...etags: string[]): boolean {
  if (!ifNoneMatch) return false;
  const list = (Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch).split(',').map((t) => t.trim().replace(/^W\//, ''));
  return list.includes('*') || etags.some((e) => list.includes(e));
}

/** Whether the client takes gzip (every browser does; `gzip;q=0` refuses it). */
export function acceptsGzip(acceptEncoding: string | string[] | undefined): boolean {
  const text = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  return text.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    return (name === 'gzip' || name === '*') && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}
