import { describe, expect, it } from 'vitest';
import { numberAt } from './line-reader';

describe('numberAt (small fields parsed from the bytes)', () => {
  const at = (field: string) => {
    const b = Buffer.from(`x,${field},y`);
    return numberAt(new Uint8Array(b.buffer, b.byteOffset, b.length), 2, 2 + Buffer.byteLength(field));
  };
  it('reads the exports\' forms exactly as Number does, the rest through Number, junk as NaN', () => {
    for (const f of ['297047', '96516.0', '-26.7', '80000.0', '0', '3.14159', '1e5', ' 42 ', '-0.5', '123456789012.25', '1.0000000000000002']) expect(at(f)).toBe(Number(f));
    for (const f of ['', '-', '.', 'nan', '12a', '1.2.3']) expect(at(f)).toBeNaN();
  });
});
