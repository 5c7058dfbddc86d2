import { DqmError } from '../../../lib/errors';

/** A run request is a few hundred bytes; anything near this is an attack or a mistake. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request's JSON body; an empty body is `{}`, malformed JSON a 400 BAD_JSON, more than 1 MB
 * a 413 (read no further: a huge body never sits whole in the server's memory).
 */
export async function jsonBody(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const text = await readCapped(req);
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch (error) {
    throw new DqmError(`The request body is not valid JSON: ${(error as Error).message}`, { code: 'BAD_JSON', httpStatus: 400, cause: error });
  }
}

async function readCapped(req: Request): Promise<string> {
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(): DqmError {
  return new DqmError(`The request body is larger than ${MAX_BODY_BYTES.toLocaleString('en')} bytes (1 MB): a run request is a small JSON object`, { code: 'BODY_TOO_LARGE', httpStatus: 413 });
}
