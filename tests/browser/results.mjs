// The results pages of the closed demo survey: the manager's results with charts and
// tables, the feedback form with an error state, the preview of the respondents' page,
// and a demo respondent going from their confirmation page to the results.

import { PANEL, expect, loginManager } from './journeys.mjs';

async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return response;
}

function path(page) {
  return new URL(page.url()).pathname;
}

export async function resultsJourney(browser, server, checker, contextOptions) {
  expect(server.results, 'the demo printed no respondent link to the results');
  let context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  let page = await context.newPage();
  try {
    await loginManager(page, server);
    await page.goto(`/beheer/panels/${PANEL}/enquetes`, { waitUntil: 'load' });
    await navigate(page, () => page.click('main td a[href^="/beheer/enquetes/"]:has-text("(voorjaar)")'));
    const survey = path(page);
    expect(/^\/beheer\/enquetes\/\d+$/.test(survey), `the closed demo survey went to ${page.url()}`);
    await checker.check(page, 'fieldwork dashboard of the closed demo survey');

    await navigate(page, () => page.click(`main a[href="${survey}/resultaten"]`));
    expect(path(page) === `${survey}/resultaten`, `the results link went to ${page.url()}`);
    const charts = await page.locator('main figure.chart svg[role=img]').count();
    expect(charts >= 5, `the results page has ${charts} charts`);
    const captions = await page.locator('main table caption').count();
    expect(captions >= charts, `the results page has ${captions} tables for ${charts} charts`);
    await checker.check(page, 'survey results (manager)');

    // Publishing with the texts left empty: the form again, with the errors.
    await page.fill('#f-what_we_do', '');
    await page.fill('#f-what_changed', '');
    const r = await navigate(page, () => page.click('main form button[name=action][value=publish]'));
    expect(r.status() === 422, `publishing without texts: status ${r.status()}`);
    const title = await page.title();
    expect(title.startsWith('Fout: '), `publishing without texts: title "${title}"`);
    expect((await page.locator('.error-summary a[href="#f-what_we_do"]').count()) === 1, 'no error at "Wat doen we ermee?"');
    await checker.check(page, 'survey results: feedback with errors');

    await page.goto(`${survey}/resultaten/deelnemers`, { waitUntil: 'load' });
    await checker.check(page, 'survey results: preview for respondents');

    // Crosstabs: from the results page, then choose a grouping and the outsiders' view
    // with the keyboard only.
    await page.goto(`${survey}/resultaten`, { waitUntil: 'load' });
    await navigate(page, () => page.click(`main a[href="${survey}/uitsplitsing"]`));
    await checker.check(page, 'survey results: crosstabs (manager)');
    await page.focus('#f-per');
    await page.selectOption('#f-per', ':manier');
    await page.focus('#f-weergave-publiek');
    await page.keyboard.press('Space');
    await navigate(page, () => page.keyboard.press('Enter'));
    expect(page.url().includes('weergave=publiek'), `the crosstab form went to ${page.url()}`);
    await checker.check(page, 'survey results: crosstabs as outsiders see them');

    // Weighted to the panel's targets by role: weighted columns next to the others.
    await page.goto(`${survey}/resultaten?wegen=rol`, { waitUntil: 'load' });
    await checker.check(page, 'survey results weighted by role');

    // Themes for the open answers: counts per theme and group, a new theme without a
    // name (the error state), and one theme's page with its problem, insight and change.
    await page.goto(`${survey}/resultaten`, { waitUntil: 'load' });
    await navigate(page, () => page.click(`main a[href="${survey}/themas"]`));
    expect(path(page) === `${survey}/themas`, `the themes link went to ${page.url()}`);
    const themeRows = await page.locator('main table tbody tr').count();
    expect(themeRows >= 3, `the themes table has ${themeRows} rows`);
    await checker.check(page, 'survey results: themes of the open answers');
    await page.fill('#f-name', '');
    const added = await navigate(page, () => page.click('main form[action$="/themas"] button:has-text("Thema toevoegen")'));
    expect(added.status() === 422, `a theme without a name: status ${added.status()}`);
    expect((await page.locator('.error-summary a[href="#f-name"]').count()) === 1, 'no error at the theme name');
    await checker.check(page, 'survey results: new theme with errors');
    await page.goto(`${survey}/themas`, { waitUntil: 'load' });
    await navigate(page, () => page.click(`main th a[href^="${survey}/themas/"]`));
    expect(/\/themas\/\d+$/.test(path(page)), `the theme link went to ${page.url()}`);
    await checker.check(page, 'survey results: one theme');

    // Fieldwork quality, and the three reports as pages (the same HTML `klankbord
    // report` writes).
    await page.goto(`${survey}/resultaten`, { waitUntil: 'load' });
    await navigate(page, () => page.click(`main a[href="${survey}/kwaliteit"]`));
    await checker.check(page, 'survey results: fieldwork quality (AAPOR, R-indicator)');
    for (const report of ['deelnemers', 'opdrachtgever', 'beheer']) {
      const r = await page.goto(`${survey}/rapport/${report}.html`, { waitUntil: 'load' });
      expect(r.status() === 200, `report ${report}: status ${r.status()}`);
      await checker.check(page, `report for ${report}`);
    }
  } finally {
    await context.close();
  }

  // A respondent's link: the confirmation page, then the results.
  context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  page = await context.newPage();
  try {
    await page.goto(server.results, { waitUntil: 'load' });
    expect(/^\/vragenlijst\/\d+\/klaar$/.test(path(page)), `the respondent's link went to ${page.url()}`);
    await checker.check(page, 'respondent: confirmation with the results', {
      sameTitleAs: 'member questionnaire: confirmation',
    });
    await navigate(page, () => page.click('main a[href$="/resultaten"]'));
    expect(/^\/vragenlijst\/\d+\/resultaten$/.test(path(page)), `the results link went to ${page.url()}`);
    const text = await page.textContent('main');
    expect(text.includes('Wat doen we ermee?'), 'the results page has no "Wat doen we ermee?"');
    expect(text.includes('minder dan 10'), 'the results page hides no small group');
    await checker.check(page, 'respondent: results');
  } finally {
    await context.close();
  }
}
