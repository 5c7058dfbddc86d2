import { DqmError } from '../../../lib/errors';

/** The request's JSON body; an empty body is `{}`, malformed JSON a 400 BAD_JSON. */
export async function jsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  try {
    return text.trim() ? JSON.parse(text) : {};
  } catch (error) {
    throw new DqmError(`The request body is not valid JSON: ${(error as Error).message}`, { code: 'BAD_JSON', httpStatus: 400, cause: error });
  }
}
