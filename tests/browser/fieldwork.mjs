// The fieldwork pages of the demo panel: a new survey through the form (with an error
// state and the quotas to adjust), the draft with its sample preview, changing the plan,
// scheduling with "send now", the fieldwork dashboard, and closing after the question.

import { PANEL, expect, loginManager } from './journeys.mjs';

async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return response;
}

function path(page) {
  return new URL(page.url()).pathname;
}

export async function fieldworkJourney(browser, server, checker, contextOptions) {
  const context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  const page = await context.newPage();
  try {
    await loginManager(page, server);
    await page.goto(`/beheer/panels/${PANEL}/enquetes`, { waitUntil: 'load' });
    await navigate(page, () => page.click(`main a[href="/beheer/panels/${PANEL}/enquetes/nieuw"]`));
    await checker.check(page, 'new survey');

    // Saved without a questionnaire or a name: the form again, with the errors.
    const save = 'main form button[name=action][value=save]';
    let r = await navigate(page, () => page.click(save));
    expect(r.status() === 422, `new survey with errors: status ${r.status()}`);
    const title = await page.title();
    expect(title.startsWith('Fout: '), `new survey with errors: title "${title}"`);
    expect((await page.locator('.error-summary a[href="#f-version"]').count()) === 1, 'no error at the questionnaire');
    await checker.check(page, 'new survey with errors');

    // A sample of 200 with quotas on role and region, to adjust before saving.
    await page.selectOption('#f-version', { index: 1 });
    await page.fill('#f-title', 'Browsertest: werk en ggz');
    await page.check('input[name=size_mode][value=n]');
    await page.fill('#f-size_n', '200');
    await page.check('input[name=quota_var][value=rol]');
    await page.check('input[name=quota_var][value=regio]');
    r = await navigate(page, () => page.click('main form button[name=action][value=quotas]'));
    expect(r.status() === 200, `recalculating quotas: status ${r.status()}`);
    const inputs = await page.locator('main input[name^="quota-"]').count();
    expect(inputs === 18, `expected 18 quota inputs (2 + 4 categories), found ${inputs}`);
    await checker.check(page, 'new survey: quotas to adjust', { sameTitleAs: 'new survey' });

    await navigate(page, () => page.click(save));
    const m = path(page).match(/^\/beheer\/enquetes\/(\d+)$/);
    expect(m, `saving the survey went to ${page.url()}`);
    const survey = `/beheer/enquetes/${m[1]}`;
    expect((await page.locator('main table caption').count()) === 2, 'the preview has no table per quota variable');
    await checker.check(page, 'survey draft with its sample preview');

    await navigate(page, () => page.click(`main a[href="${survey}/wijzigen"]`));
    await checker.check(page, 'survey: change the plan');
    await navigate(page, () => page.click(save));
    expect(path(page) === survey, `saving the change went to ${page.url()}`);

    // "Nu versturen" was chosen, so its moment has passed by now: schedule and send now.
    await navigate(page, () => page.click('#plannen button[name=send_now]'));
    expect(path(page) === survey, `scheduling went to ${page.url()}`);
    const status = await page.textContent('main');
    expect(status.includes('Veldwerk'), 'scheduling did not show the fieldwork dashboard');
    await checker.check(page, 'fieldwork dashboard');

    await navigate(page, () => page.click(`main a[href="${survey}/sluiten"]`));
    await checker.check(page, 'close a survey: the question first');
    await navigate(page, () => page.click(`main form[action="${survey}/sluiten"] button[type=submit]`));
    expect(path(page) === survey, `closing went to ${page.url()}`);
    expect((await page.locator(`main a[href="${survey}/sluiten"]`).count()) === 0, 'a closed survey offers to close');
    await checker.check(page, 'fieldwork dashboard (closed)', { sameTitleAs: 'fieldwork dashboard' });

    // The demo survey: open, with invitations by email, phone and post.
    await page.goto(`/beheer/panels/${PANEL}/enquetes`, { waitUntil: 'load' });
    await navigate(page, () => page.click(`main td a[href^="/beheer/enquetes/"]:not([href$="/papier"]):not([href="${survey}"])`));
    await checker.check(page, 'fieldwork dashboard of the demo survey');
  } finally {
    await context.close();
  }
}
