// NDR20 primitives shared by the interface codecs: a bounds-checked reader, a writer, and the one
// error a malformed stub gives.
export { NdrError } from './errors';
export { NdrReader, CONTEXT_HANDLE_SIZE } from './reader';
export { NdrWriter } from './writer';
