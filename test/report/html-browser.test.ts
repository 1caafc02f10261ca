// The HTML report of a mutant run, opened in a real browser (Debian's headless Chromium): it loads with
// no console error, the failing clause's Expected vs Actual and call sequence are one click away from
// the matrix, and the filters hide what they should. A screenshot is kept in reports/ (a CI artifact).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Browser, chromiumBinary } from '../support/chromium';
import { scaled } from '../support/time-scale';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/cmrp-notify-conformance.js');
const CHROMIUM = chromiumBinary();
const SCREENSHOTS = join(ROOT, 'reports');

if (!CHROMIUM) {
  describe('HTML report in a browser', () => {
    it.skip('skipped: no chromium binary (Debian package chromium; .ci/run installs it)', () => undefined);
  });
} else {
  describe('HTML report of a mutant run, in headless Chromium', () => {
    let dir: string;
    let browser: Browser;
    let failing: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'cmrp-html-'));
      const run = spawnSync(process.execPath, [BIN, 'run', '--target', 'builtin:mutant=merge-filters', '--section', '3.1.4.2.58', '--seed', '1'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: scaled(240_000),
      });
      expect(run.status).toBe(1);
      const results = JSON.parse(readFileSync(join(dir, 'reports/results.json'), 'utf8')) as { clauses: { id: string; verdict: string; message: string }[] };
      failing = results.clauses.find((c) => c.verdict === 'FAIL' && c.message.includes('calls:'))!.id;
      browser = await Browser.launch(CHROMIUM);
      await browser.open(pathToFileURL(join(dir, 'reports/report.html')).href);
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('loads with no console error and fetches nothing', async () => {
      expect(await browser.evaluate<string>('document.title')).toMatch(/NOT CONFORMANT/);
      const external = await browser.evaluate<number>('performance.getEntriesByType("resource").length');
      expect(external).toBe(0);
      expect(browser.errors).toEqual([]);
    });

    it("opens the failing clause from its matrix cell: Expected vs Actual and the call sequence", async () => {
      const anchor = `c-${failing.replace(/[^A-Za-z0-9.]+/g, '-')}`;
      expect(await browser.evaluate<boolean>(`document.getElementById(${JSON.stringify(anchor)}).open`)).toBe(false);
      await browser.click(`#matrix a.cell[data-open="${anchor}"]`);
      const seen = await browser.evaluate<{ open: boolean; expected: string; actual: string; calls: number; visible: boolean; replay: string }>(`(() => {
        const d = document.getElementById(${JSON.stringify(anchor)});
        const trace = d.querySelector('ol.trace');
        const r = trace.getBoundingClientRect();
        return {
          open: d.open,
          expected: d.querySelector('pre.expected').textContent,
          actual: d.querySelector('pre.actual').textContent,
          calls: trace.querySelectorAll('li').length,
          visible: r.height > 0 && r.width > 0,
          replay: (d.querySelector('pre.replay') || {}).textContent || '',
        };
      })()`);
      expect(seen.open).toBe(true);
      expect(seen.expected.length).toBeGreaterThan(0);
      expect(seen.actual.length).toBeGreaterThan(0);
      expect(seen.calls).toBeGreaterThan(0);
      expect(seen.visible).toBe(true);
      expect(seen.replay).toMatch(/cmrp-notify-conformance (run|replay) /);
      mkdirSync(SCREENSHOTS, { recursive: true });
      writeFileSync(join(SCREENSHOTS, 'html-report-mutant.png'), await browser.screenshot());
      expect(browser.errors).toEqual([]);
    });

    it('filters by verdict, level and section', async () => {
      const visible = (selector: string) =>
        browser.evaluate<number>(`[...document.querySelectorAll(${JSON.stringify(selector)})].filter((e) => !e.classList.contains('hidden')).length`);
      const passing = await visible('details.clause[data-verdict="PASS"]');
      expect(passing).toBeGreaterThan(0);
      await browser.click('input[data-filter="verdict"][value="PASS"]');
      expect(await visible('details.clause[data-verdict="PASS"]')).toBe(0);
      expect(await visible('details.clause[data-verdict="FAIL"]')).toBeGreaterThan(0);
      await browser.click('input[data-filter="level"][value="MUST"]');
      expect(await visible('details.clause[data-level="MUST"]')).toBe(0);
      await browser.evaluate<void>(`(() => { const s = document.getElementById('filter-section'); s.value = '3.1.4.2.58'; s.dispatchEvent(new Event('change')); })()`);
      expect(await visible('tr[data-row-section]')).toBe(1);
      expect(browser.errors).toEqual([]);
    });
  });
}
