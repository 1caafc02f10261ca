// Jest setup (jest.config.js, setupFilesAfterEnv): every explicit timeout a test file gives to it,
// test, the hooks or their .each/.only/.skip/.concurrent/.failing forms is scaled by the machine's
// factor (test/support/time-scale.ts), as jest.config.js scales the default testTimeout. Test files
// keep writing the bound a quiet machine needs; a loaded one gets proportionally more.
import { timeScale } from './time-scale';

const SCALE = timeScale();

type Fn = (...args: unknown[]) => unknown;

/** The argument position of the timeout: (name, fn, timeout) for tests, (fn, timeout) for hooks. */
function scaleAt(fn: Fn, index: number): Fn {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    if (typeof args[index] === 'number') args[index] = Math.round((args[index] as number) * SCALE);
    return fn.apply(this, args);
  };
  return wrapped;
}

/** it/test and their variants, keeping every property (each, only, skip, todo, concurrent, failing). */
function scaleTest(original: Fn & Record<string, unknown>): Fn & Record<string, unknown> {
  const wrapped = scaleAt(original, 2) as Fn & Record<string, unknown>;
  for (const key of Object.keys(original)) {
    const value = original[key];
    if (key === 'each') {
      // test.each(table)(name, fn, timeout)
      wrapped.each = (...table: unknown[]) => scaleAt((value as Fn)(...table) as Fn, 2);
    } else if (typeof value === 'function' && key !== 'todo') {
      wrapped[key] = scaleTest(value as Fn & Record<string, unknown>);
    } else {
      wrapped[key] = value;
    }
  }
  return wrapped;
}

if (SCALE !== 1) {
  const g = globalThis as unknown as Record<string, Fn & Record<string, unknown>>;
  for (const name of ['it', 'test', 'fit', 'xit', 'xtest']) if (typeof g[name] === 'function') g[name] = scaleTest(g[name]);
  for (const name of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach']) if (typeof g[name] === 'function') g[name] = scaleAt(g[name], 1) as Fn & Record<string, unknown>;
}
