// The DCE/RPC target form a usage message lists, apart from dcerpc.ts: resolve.ts names it without
// loading the DCE/RPC stack a run may not use.
export const DCERPC_TARGET_FORM = 'dcerpc:HOST[:PORT]';
