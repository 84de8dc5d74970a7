// Drives Debian's chromium with playwright-core for tests/router/test_browser.py; prints one JSON line.
//   node drive.mjs explorer URL SCREENSHOT   the explorer loads with nothing from outside URL's
//                                            origin, runs a typed query, saves a screenshot
//   node drive.mjs page URL SCREENSHOT       opens URL and waits for #status to say done or failed
import { createRequire } from 'node:module';
import { join } from 'node:path';

// playwright-core is a devDependency of federation/, the working directory this runs in.
const { chromium } = createRequire(join(process.cwd(), 'package.json'))('playwright-core');

const [mode, target, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const report = { outside: [], console: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('console', (message) => { if (message.type() === 'error') report.console.push(message.text()); });
  if (mode === 'explorer') {
    const origin = new URL(target).origin;
    // Offline: anything from another origin is refused and recorded.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) return route.continue();
      report.outside.push(url);
      return route.abort();
    });
    await page.goto(target, { waitUntil: 'load' });
    const editor = page.locator('.graphiql-query-editor .CodeMirror').first();
    await editor.waitFor({ timeout: 20000 });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('{ materialSamples(first: 2) { totalCount edges { node { materialSampleName } } } }');
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response .CodeMirror');
    await page.waitForFunction(() => document.querySelector('.graphiql-response .CodeMirror')?.textContent.includes('totalCount'), null, { timeout: 20000 });
    report.response = await response.textContent();
  } else {
    await page.goto(target, { waitUntil: 'load' });
    await page.waitForFunction(() => ['done', 'failed'].includes(document.querySelector('#status')?.dataset.state), null, { timeout: 30000 });
    report.status = await page.locator('#status').textContent();
    report.state = await page.locator('#status').getAttribute('data-state');
    report.thumbnailWidth = await page.evaluate(() => document.querySelector('#thumbnail')?.naturalWidth ?? 0);
  }
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (error) {
  report.error = String(error?.stack || error);
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(report)}\n`);
