// The phone fallback: the manager's page that assigns call lists, the demo interviewer's
// call lists, a member's entry with an outcome form (and its error state), the phone
// interview in script mode; then a whole phone interview with the keyboard only.

import { PANEL, expect, loginManager } from './journeys.mjs';
import { at, chooseRadio, expectFocusVisible, focused, isButton, next, press, pressAndWait, tabTo } from './keyboard.mjs';

async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return response;
}

function path(page) {
  return new URL(page.url()).pathname;
}

async function loginInterviewer(page, server) {
  expect(server.interviewer, 'the demo printed no interviewer login');
  await page.goto('/beheer/inloggen', { waitUntil: 'load' });
  await page.fill('#f-email', server.interviewer.email);
  await page.fill('#f-password', server.interviewer.password);
  await navigate(page, () => page.click('main form button[type=submit]'));
  expect(path(page) === '/bellen', `interviewer login went to ${page.url()}`);
}

/** The demo survey's id, from the manager's survey list. */
async function demoSurvey(page) {
  await page.goto(`/beheer/panels/${PANEL}/enquetes`, { waitUntil: 'load' });
  const href = await page.getAttribute('main td a[href^="/beheer/enquetes/"]:not([href$="/papier"])', 'href');
  return href.split('/').pop();
}

export async function phoneJourney(browser, server, checker, contextOptions) {
  const manager = await browser.newContext({ ...contextOptions, baseURL: server.base });
  try {
    const page = await manager.newPage();
    await loginManager(page, server);
    const survey = await demoSurvey(page);
    await page.goto(`/beheer/enquetes/${survey}/bellen`, { waitUntil: 'load' });
    await checker.check(page, 'calling: assign and progress');
  } finally {
    await manager.close();
  }

  const context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  const page = await context.newPage();
  try {
    await loginInterviewer(page, server);
    await checker.check(page, 'my call lists');
    await navigate(page, () => page.click('main table a[href^="/bellen/enquetes/"]'));
    await checker.check(page, 'call list');
    await navigate(page, () => page.click('main a[href$="/telefoonscript"]'));
    await checker.check(page, 'the printable phone script');
    await page.goBack({ waitUntil: 'load' });
    const entries = await page.locator('main table a[href^="/bellen/leden/"]').count();
    expect(entries > 1, `the demo call list has ${entries} members`);
    // The last member: the keyboard run below takes the first.
    await navigate(page, () => page.click('main table tr:last-child a[href^="/bellen/leden/"]'));
    const entry = path(page);
    await checker.check(page, 'call list entry');

    // Saved without an outcome: the form again with the error.
    let r = await navigate(page, () => page.click(`main form[action="${entry}/uitkomst"] button[type=submit]`));
    expect(r.status() === 422, `outcome without a choice: status ${r.status()}`);
    expect((await page.title()).startsWith('Fout: '), 'outcome error: title without "Fout:"');
    await checker.check(page, 'call list entry with an error');
    await page.check('main input[name=outcome][value=busy]');
    r = await navigate(page, () => page.click(`main form[action="${entry}/uitkomst"] button[type=submit]`));
    expect(path(page) === entry, `saving an outcome went to ${page.url()}`);
    expect((await page.textContent('main')).includes('In gesprek'), 'the saved call is not in the history');
    await checker.check(page, 'call list entry after a call', { sameTitleAs: 'call list entry' });

    // The interview in script mode.
    await navigate(page, () => page.click(`main form[action="${entry}/interview"] button[type=submit]`));
    await checker.check(page, 'phone interview: who answers');
    await page.check('main input[name=proxy][value=alone]');
    await navigate(page, () => page.click('main form button[type=submit]'));
    expect(path(page).includes('/vraag/'), `after who answers: ${page.url()}`);
    expect((await page.locator('main .script .instructions').count()) === 1, 'no interviewer instructions');
    await checker.check(page, 'phone interview: a question in script mode');
  } finally {
    await context.close();
  }
}

/** A whole phone interview of the first member on the demo list, with the keyboard only. */
export async function phoneKeyboardRun(browser, server, contextOptions) {
  const context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  const page = await context.newPage();
  try {
    await page.goto('/beheer/inloggen');
    await tabTo(page, 'the email field', (f) => f.id === 'f-email');
    await page.keyboard.type(server.interviewer.email);
    await press(page, 'Tab');
    await page.keyboard.type(server.interviewer.password);
    await pressAndWait(page, 'Enter');
    at(page, '/bellen');
    await tabTo(page, 'the call list link', (f) => f.tag === 'a' && f.href.startsWith('/bellen/enquetes/'));
    await pressAndWait(page, 'Enter');
    await tabTo(page, 'the first member', (f) => f.tag === 'a' && f.href.startsWith('/bellen/leden/'));
    await expectFocusVisible(page, 'a member on the call list');
    await pressAndWait(page, 'Enter');
    await tabTo(page, 'the start button', isButton('Start het interview'));
    await pressAndWait(page, 'Enter');
    expect(path(page).endsWith('/wie'), `the interview did not start at "who answers": ${page.url()}`);
    await chooseRadio(page, 'alone', 'ArrowDown', 'proxy');
    await next(page);

    // Each question by its kind: the first choice but "nee" for werk_nu, typed text.
    for (let i = 0; i < 30 && path(page).includes('/vraag/'); i++) {
      const id = path(page).split('/').pop();
      const kind = await page.evaluate(() => {
        const input = document.querySelector('main [name=answer]');
        return input ? (input.tagName === 'TEXTAREA' ? 'text' : input.getAttribute('type')) : 'none';
      });
      if (kind === 'radio') {
        const values = await page.evaluate(() => [...document.querySelectorAll('input[name=answer]')].map((x) => x.value));
        await chooseRadio(page, id === 'werk_nu' ? 'nee' : values[0]);
      } else if (kind === 'checkbox') {
        await tabTo(page, 'a checkbox', (f) => f.type === 'checkbox');
        await press(page, 'Space');
      } else if (kind === 'text') {
        await tabTo(page, 'the text area', (f) => f.tag === 'textarea');
        await page.keyboard.type('Per telefoon gezegd.');
      } else {
        await tabTo(page, 'the field', (f) => f.name === 'answer');
        await page.keyboard.type('12');
      }
      await next(page);
    }
    expect(path(page).endsWith('/controleren'), `the interview did not reach the check page: ${page.url()}`);
    await tabTo(page, 'the send button', isButton('Antwoorden versturen'));
    await pressAndWait(page, 'Enter');
    expect(path(page).endsWith('/klaar'), `sending went to ${page.url()}`);
    const h1 = (await page.textContent('h1')).trim();
    expect(h1 === 'Interview opgeslagen', `the end of the interview says "${h1}"`);
    const back = await focused(page);
    return { confirmation: h1, focus: back };
  } finally {
    await context.close();
  }
}
