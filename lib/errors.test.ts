import { describe, expect, it } from 'vitest';
import { DqmError, errorAnswer, isDqmError } from './errors';

describe('errorAnswer: the one error -> API answer mapping', () => {
  it('keeps the code and status of our errors, and answers anything else with a 500 INTERNAL_ERROR', () => {
    const notFound = new DqmError("Node 'x' not found in pipeline '__default__'.", { code: 'NODE_NOT_FOUND', httpStatus: 404 });
    expect(errorAnswer(notFound)).toEqual({ status: 404, body: { error: { code: 'NODE_NOT_FOUND', message: "Node 'x' not found in pipeline '__default__'." } } });
    expect(errorAnswer(new TypeError('x is undefined'))).toEqual({ status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'x is undefined' } } });
    expect(errorAnswer('thrown text')).toEqual({ status: 500, body: { error: { code: 'INTERNAL_ERROR', message: 'thrown text' } } });
  });

  it('recognises errors made by another copy of lib/errors (Next bundles the route handlers with their own)', async () => {
    const copy = (await import(/* @vite-ignore */ `./errors.ts?copy=${Date.now()}`)) as typeof import('./errors');
    expect(copy.DqmError).not.toBe(DqmError);
    const foreign = new copy.DqmError('No run with that id', { code: 'RUN_NOT_FOUND', httpStatus: 404 });
    expect(foreign instanceof DqmError).toBe(false);
    expect(isDqmError(foreign)).toBe(true);
    expect(errorAnswer(foreign)).toEqual({ status: 404, body: { error: { code: 'RUN_NOT_FOUND', message: 'No run with that id' } } });
    // An error that only looks like ours (a code and a status) is not trusted.
    expect(errorAnswer(Object.assign(new Error('lookalike'), { code: 'RUN_NOT_FOUND', httpStatus: 404 })).status).toBe(500);
  });
});
