import { PipelineError } from './errors';

/** Kedro's transcoding separator: `my_df@pandas` and `my_df@spark` are one dataset read two ways. */
export const TRANSCODING_SEPARATOR = '@';

/** `my_df@pandas` -> ['my_df', 'pandas']; `my_df` -> ['my_df', '']. More than one `@` is an error. */
export function transcodeSplit(name: string): [string, string] {
  const parts = name.split(TRANSCODING_SEPARATOR);
  if (parts.length > 2) {
    throw new PipelineError(`Expected maximum 1 transcoding separator, found ${parts.length - 1} instead: '${name}'.`, { code: 'TRANSCODING_ERROR' });
  }
  return [parts[0]!, parts[1] ?? ''];
}

/** The dataset a (possibly transcoded) name refers to: `my_df@pandas` -> `my_df`. */
export function stripTranscoding(name: string): string {
  return transcodeSplit(name)[0];
}

/**
 * Kedro's rule: a transcoded dataset is never also referred to without the separator
 * (`my_df@spark` written and `my_df` read would be two readings of one name).
 */
export function checkTranscodedNames(names: Iterable<string>): void {
  const all = new Set(names);
  const invalid = [...all].filter((n) => stripTranscoding(n) !== n && all.has(stripTranscoding(n))).map(stripTranscoding);
  if (invalid.length) {
    throw new PipelineError(
      `The following datasets are used with transcoding, but were referenced without the separator: ${[...new Set(invalid)].sort().join(', ')}. Please specify a transcoding option or rename the datasets.`,
      { code: 'TRANSCODING_ERROR' },
    );
  }
}
