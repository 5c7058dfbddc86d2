/** Pandas DataFrame pickles <-> Table, and the small pickle machinery under them. */
export { readPandasPickle } from './pandas-reader';
export { pandasPickleChunks, writePandasPickle } from './pandas-writer';
export { PickleError } from './errors';
export { unpickle, type UnpickleOptions } from './unpickler';
export { writeChunksAtomic } from './write-chunks';
export { NUMPY_REDUCERS, NdArray, NpDtype } from './numpy-array';
export { PyGlobal, PyObject, PySlice, pyTypeName, type Reducer } from './py-values';
