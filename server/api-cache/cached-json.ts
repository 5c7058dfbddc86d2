import { createHash } from 'node:crypto';

export interface CachedBody {
  body: Buffer;
  /** A strong validator of the body: its SHA-1, quoted. */
  etag: string;
}

/**
 * The JSON body of an answer, serialised once per answer object: the graph service returns the
 * SAME object while the project state (and a dataset's file) is unchanged, so an object seen
 * before needs no JSON.stringify; a reload or a new file version makes a new object, hence a
 * new body and ETag. Held weakly: dropped with the answer.
 */
export class SerialisedBodies {
  private readonly bodies = new WeakMap<object, CachedBody>();

  of(value: object): CachedBody {
    let hit = this.bodies.get(value);
    if (!hit) {
      const body = Buffer.from(JSON.stringify(value));
      hit = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      this.bodies.set(value, hit);
    }
    return hit;
  }
}

/** True when the request's If-None-Match names `etag` (or `*`); weak validators (W/) compare equal too. */
export function matchesEtag(ifNoneMatch: string | string[] | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const list = (Array.isArray(ifNoneMatch) ? ifNoneMatch.join(',') : ifNoneMatch).split(',').map((t) => t.trim().replace(/^W\//, ''));
  return list.includes('*') || list.includes(etag);
}
