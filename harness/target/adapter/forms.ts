// The adapter target forms a usage message lists, apart from the code that starts adapters: resolve.ts
// names every form without loading it.
export const ADAPTER_TARGET_FORMS = 'stdio:COMMAND [ARGS], tcp:HOST:PORT';
