// The manager's views of the panel over time: its health (members per month,
// invitations per member against the policy, composition then and now) and the process
// evaluation of the demo surveys, reached from the dashboard with the keyboard's links.

import { PANEL, expect, loginManager } from './journeys.mjs';

async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return response;
}

export async function panelHealthJourney(browser, server, checker, contextOptions) {
  const context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  const page = await context.newPage();
  try {
    await loginManager(page, server);
    await navigate(page, () => page.click(`main a[href="/beheer/panels/${PANEL}/gezondheid"]`));
    const months = await page.locator('#t-months').locator('xpath=ancestor::table').locator('tbody tr').count();
    expect(months === 12, `the panel health page shows ${months} months`);
    const limit = await page.locator('main td strong').count();
    expect(limit >= 1, 'the invitations table does not mark the limit');
    await checker.check(page, 'panel health');

    await page.goto('/beheer', { waitUntil: 'load' });
    await navigate(page, () => page.click(`main a[href="/beheer/panels/${PANEL}/evaluatie"]`));
    const charts = await page.locator('main figure.chart svg[role=img]').count();
    expect(charts === 4, `the evaluation page has ${charts} charts`);
    const rows = await page.locator('#t-eval_again-s').locator('xpath=ancestor::table').locator('tbody tr').count();
    // The three closed demo surveys, and the open one once someone finished it.
    expect(rows >= 3, `the evaluation shows "join again" for ${rows} surveys`);
    await checker.check(page, 'process evaluation');
  } finally {
    await context.close();
  }
}
