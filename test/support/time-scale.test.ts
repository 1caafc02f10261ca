// The scaling of time bounds: the factor read from the environment, and the setup that applies it to
// the timeouts test files give explicitly.
import { DEFAULT_TIME_SCALE, scaled, timeScale } from './time-scale';

describe('the time scale of the tests', () => {
  it('defaults to a factor a loaded 2-core machine needs, and reads CMRP_TEST_TIMEOUT_SCALE', () => {
    expect(timeScale({})).toBe(DEFAULT_TIME_SCALE);
    expect(timeScale({ CMRP_TEST_TIMEOUT_SCALE: '0.5' })).toBe(0.5);
    expect(() => timeScale({ CMRP_TEST_TIMEOUT_SCALE: 'fast' })).toThrow(/CMRP_TEST_TIMEOUT_SCALE='fast'/);
    expect(() => timeScale({ CMRP_TEST_TIMEOUT_SCALE: '0' })).toThrow(/greater than 0/);
    expect(scaled(1000)).toBe(Math.round(1000 * timeScale()));
  });

  // Jest fails a test that outlives its timeout: this one waits twice its explicit 1 s bound, and
  // passes only if the bound was scaled (skipped when the factor leaves no room to tell).
  (timeScale() >= 3 ? it : it.skip)(
    'scales an explicit per-test timeout',
    async () => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
    },
    1000,
  );
});
