import { createHash } from 'node:crypto';
import { gzip } from 'node:zlib';

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
 * new body and ETag. Held weakly: dropped with the answer. Big bodies (a heatmap preview is
 * 140 KB of JSON) are also gzipped once, in the background: under 200 connections, copying
 * bodies into sockets was the server's largest cost (profile of bench:load).
 */
export class SerialisedBodies {
  private readonly bodies = new WeakMap<object, CachedBody>();

  of(value: object): CachedBody {
    let hit = this.bodies.get(value);
    if (!hit) {
      const body = Buffer.from(JSON.stringify(value));
      const entry: CachedBody = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      if (body.length > GZIP_ABOVE) gzip(body, { level: 6 }, (error, zipped) => void (error ? undefined : (entry.gzip = zipped)));
      this.bodies.set(value, entry);
      hit = entry;
    }
    return hit;
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
