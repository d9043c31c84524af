// The pages a member and a manager go through, each handed to the checker: sign-up
// (with an error) and confirmation by email, Mijn gegevens with the display
// preferences, login, privacy and 404; the manager pages; a questionnaire with every
// question type piloted at /voorbeeld, with error states; a one-page flash poll; the
// demo survey: its printable questionnaire and typing in a returned paper one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { linkFromOutbox } from './server.mjs';

export const PANEL = 'ggz-panel';

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Click (or press) something that navigates, and wait for the new page. */
async function navigate(page, action) {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
  return response;
}

async function go(page, url) {
  return page.goto(url, { waitUntil: 'load' });
}

async function submit(page, formSelector) {
  return navigate(page, () => page.click(`${formSelector} button[type=submit]`));
}

function path(page) {
  return new URL(page.url()).pathname;
}

/** An error page as the product promises it: "Fout:" title, summary, error at the field. */
async function expectErrorState(page, response, step, status = 422) {
  expect(response.status() === status, `${step}: expected status ${status}, got ${response.status()}`);
  const title = await page.title();
  expect(title.startsWith('Fout: '), `${step}: title "${title}" does not start with "Fout: "`);
  const summaryLinks = await page.locator('.error-summary a[href^="#"]').count();
  expect(summaryLinks > 0, `${step}: no error summary with links`);
  const atField = await page.locator('.error-message').count();
  expect(atField > 0, `${step}: no error message at the field`);
  // Every summary link leads to an element on the page.
  const broken = await page.evaluate(() =>
    [...document.querySelectorAll('.error-summary a[href^="#"]')]
      .map((a) => a.getAttribute('href').slice(1))
      .filter((id) => !document.getElementById(id)),
  );
  expect(broken.length === 0, `${step}: error summary links to missing ids: ${broken.join(', ')}`);
}

export async function memberJourney(browser, server, checker, contextOptions) {
  const base = server.base;
  const context = await browser.newContext({ ...contextOptions, baseURL: base });
  const page = await context.newPage();
  const email = `browser-${Date.now()}@voorbeeld.nl`;
  try {
    await go(page, '/');
    await checker.check(page, 'start page');

    await go(page, '/aanmelden');
    await checker.check(page, 'sign-up');

    let r = await submit(page, 'main form[action="/aanmelden"]');
    await expectErrorState(page, r, 'sign-up with errors');
    await checker.check(page, 'sign-up with errors');

    await page.fill('#f-name', 'Sam de Vries');
    await page.fill('#f-email', email);
    await page.fill('#f-birth_year', '1980');
    await page.check('input[name=contact_preference][value=email]');
    await page.check('input[name=bg_rol][value=ervaring]');
    await page.selectOption('#f-source', { index: 1 });
    await page.check('#f-consent_panel');
    await page.check('#f-consent_health');
    const since = Date.now();
    r = await submit(page, 'main form[action="/aanmelden"]');
    if (path(page) !== '/aanmelden/bedankt') {
      const summary = await page.evaluate(() => document.querySelector('.error-summary')?.textContent ?? '');
      throw new Error(`valid sign-up went to ${page.url()}: ${summary.replace(/\s+/g, ' ')}`);
    }
    await checker.check(page, 'sign-up done: check your email');

    const confirm = await linkFromOutbox(server.outbox, { to: email, since, pathPrefix: '/bevestigen/' });
    await go(page, confirm);
    await checker.check(page, 'confirm page');
    await submit(page, 'main form');
    expect(path(page) === '/mijn-gegevens', `confirming went to ${page.url()}`);
    await checker.check(page, 'Mijn gegevens (welcome)');

    await go(page, confirm);
    await checker.check(page, 'confirmation link used twice');

    await go(page, '/mijn-gegevens/wijzigen');
    await checker.check(page, 'Mijn gegevens: edit');
    await page.fill('#f-birth_year', '18');
    r = await submit(page, 'main form');
    await expectErrorState(page, r, 'Mijn gegevens: edit with an error');
    await checker.check(page, 'Mijn gegevens: edit with an error');

    await go(page, '/mijn-gegevens/vergoedingen');
    await checker.check(page, 'Mijn gegevens: allowances');
    await page.fill('#f-other', 'vijf euro');
    r = await submit(page, 'main form[action="/mijn-gegevens/vergoedingen/andere"]');
    await expectErrorState(page, r, 'Mijn gegevens: allowances with an error');
    await checker.check(page, 'Mijn gegevens: allowances with an error');

    await go(page, '/mijn-gegevens/toestemming');
    await checker.check(page, 'Mijn gegevens: withdraw consent');
    await go(page, '/mijn-gegevens/verwijderen');
    await checker.check(page, 'Mijn gegevens: delete account');

    await go(page, '/mijn-gegevens');
    await page.check('#f-large_text');
    await page.check('#f-high_contrast');
    await page.check('#f-calm_layout');
    await submit(page, 'main form[action="/mijn-gegevens/weergave"]');
    const classes = await page.evaluate(() => document.body.className);
    expect(
      ['pref-large', 'pref-contrast', 'pref-calm'].every((c) => classes.includes(c)),
      `display preferences not applied: body class "${classes}"`,
    );
    await checker.check(page, 'Mijn gegevens (large text, high contrast, calm layout)', {
      sameTitleAs: 'Mijn gegevens (welcome)',
    });
    await go(page, '/mijn-gegevens/wijzigen');
    await checker.check(page, 'Mijn gegevens: edit (display preferences)', { sameTitleAs: 'Mijn gegevens: edit' });
    await page.fill('#f-birth_year', '18');
    r = await submit(page, 'main form');
    await expectErrorState(page, r, 'Mijn gegevens: edit with an error (display preferences)');
    await checker.check(page, 'Mijn gegevens: edit with an error (display preferences)', {
      sameTitleAs: 'Mijn gegevens: edit with an error',
    });
    await go(page, '/privacy');
    await checker.check(page, 'privacy (display preferences)');

    await go(page, '/aanmelden?lang=en');
    await checker.check(page, 'sign-up in English');
    const lang = await page.evaluate(() => document.documentElement.lang);
    expect(lang === 'en', `?lang=en gave html lang="${lang}"`);
  } finally {
    await context.close();
  }

  // Logged out: login by link (the member from above), privacy, 404.
  const anon = await browser.newContext({ ...contextOptions, baseURL: base });
  const p = await anon.newPage();
  try {
    await go(p, '/inloggen');
    await checker.check(p, 'login');
    let r = await submit(p, 'main form[action="/inloggen"]');
    await expectErrorState(p, r, 'login with an error');
    await checker.check(p, 'login with an error');
    await p.fill('#f-email', email);
    const since = Date.now();
    await submit(p, 'main form[action="/inloggen"]');
    expect(path(p) === '/inloggen/verstuurd', `login went to ${p.url()}`);
    await checker.check(p, 'login: link sent');
    const link = await linkFromOutbox(server.outbox, { to: email, since, pathPrefix: '/inloggen/' });
    await go(p, link);
    await checker.check(p, 'login: the link from the email');
    await submit(p, 'main form');
    expect(path(p) === '/mijn-gegevens', `the login link went to ${p.url()}`);
    await submit(p, 'header form[action="/uitloggen"]');

    await go(p, '/privacy');
    await checker.check(p, 'privacy', { sameTitleAs: 'privacy (display preferences)' });

    r = await go(p, '/bestaat-niet');
    expect(r.status() === 404, `unknown page gave ${r.status()}`);
    await checker.check(p, 'error page (404)');
  } finally {
    await anon.close();
  }
}

export async function loginManager(page, server) {
  await go(page, '/beheer/inloggen');
  await page.fill('#f-email', server.manager.email);
  await page.fill('#f-password', server.manager.password);
  await submit(page, 'main form');
  expect(path(page) === '/beheer', `manager login went to ${page.url()}`);
}

/** Upload a questionnaire by pasting it; returns the version id. */
async function upload(page, json) {
  await go(page, `/beheer/panels/${PANEL}/vragenlijsten`);
  await page.fill('#f-json', json);
  await submit(page, `main form[action="/beheer/panels/${PANEL}/vragenlijsten"]`);
  const m = path(page).match(/^\/beheer\/vragenlijsten\/versies\/(\d+)$/);
  expect(m, `upload went to ${page.url()}`);
  return Number(m[1]);
}

export async function managerJourney(browser, server, checker, contextOptions, root) {
  const context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  const page = await context.newPage();
  try {
    await go(page, '/beheer/inloggen');
    await checker.check(page, 'manager login');
    await page.fill('#f-email', server.manager.email);
    await page.fill('#f-password', 'not-the-password');
    let r = await submit(page, 'main form');
    await expectErrorState(page, r, 'manager login with an error', 401);
    await checker.check(page, 'manager login with an error');

    await loginManager(page, server);
    await checker.check(page, 'manager dashboard');

    await go(page, `/beheer/panels/${PANEL}/leden`);
    await checker.check(page, 'member list');
    await navigate(page, () => page.click('main table a[href^="/beheer/leden/"]'));
    await checker.check(page, 'member detail');
    await go(page, `${path(page)}/wijzigen`);
    await checker.check(page, 'member detail: correct');

    await go(page, `/beheer/panels/${PANEL}/samenstelling`);
    expect((await page.locator('main figure svg').count()) > 0, 'composition page has no SVG chart');
    await checker.check(page, 'composition');

    await go(page, `/beheer/panels/${PANEL}/vergoedingen`);
    await checker.check(page, 'allowances');
    await page.fill('#f-per_year', 'twee');
    r = await submit(page, `main form[action="/beheer/panels/${PANEL}/vergoedingen/grenzen"]`);
    await expectErrorState(page, r, 'allowances: limits with an error');
    await checker.check(page, 'allowances: limits with an error');

    await go(page, `/beheer/panels/${PANEL}/opdrachten`);
    expect((await page.locator('main table a[href^="/beheer/opdrachten/"]').count()) >= 2, 'the demo has client requests');
    await checker.check(page, 'client requests');
    r = await submit(page, `main form[action="/beheer/panels/${PANEL}/opdrachtgevers"]`);
    await expectErrorState(page, r, 'client requests: new client with an error');
    await checker.check(page, 'client requests: new client with an error');
    await go(page, `/beheer/panels/${PANEL}/opdrachten`);
    // The newest request is under review: its page offers accept and decline.
    await navigate(page, () => page.click('main table a[href^="/beheer/opdrachten/"]'));
    await checker.check(page, 'client request');
    r = await submit(page, 'main form:has(input[name="stap"][value="accepteren"])');
    await expectErrorState(page, r, 'client request: accept with an error');
    await checker.check(page, 'client request: accept with an error');
    await navigate(page, () => page.click('main dl a[href^="/beheer/opdrachtgevers/"]'));
    await checker.check(page, 'client');
    await page.fill('#f-name', 'Rapportage');
    await page.check('#f-scope_requests_write');
    r = await submit(page, 'main form[action$="/sleutels"]');
    expect(r.status() === 201, `client: new key: status ${r.status()}`);
    expect((await page.locator('main code').innerText()).startsWith('kbc_'), 'client: the new key is shown');
    await checker.check(page, 'client: new key shown once');
    // The clients' portal with that key (the same HTML report as the manager's client
    // report, checked in the results journey, is left out here).
    const key = await page.locator('main code').innerText();
    await go(page, '/opdrachtgever/inloggen');
    await checker.check(page, 'client portal: login');
    r = await submit(page, 'main form[action="/opdrachtgever/inloggen"]');
    await expectErrorState(page, r, 'client portal: login with an error');
    await checker.check(page, 'client portal: login with an error');
    await page.fill('#f-key', key);
    await submit(page, 'main form[action="/opdrachtgever/inloggen"]');
    expect(path(page) === '/opdrachtgever', `client portal: after login at ${path(page)}`);
    await checker.check(page, 'client portal: requests');
    await navigate(page, () => page.click('main table tbody tr:last-child a'));
    expect((await page.locator('main a[href$="/rapport"]').count()) === 1, 'client portal: the finished request links its report');
    await checker.check(page, 'client portal: request');
    await go(page, '/opdrachtgever/aanvragen/nieuw');
    await checker.check(page, 'client portal: new request');
    r = await submit(page, 'main form[action="/opdrachtgever/aanvragen/nieuw"]');
    await expectErrorState(page, r, 'client portal: new request with errors');
    await checker.check(page, 'client portal: new request with errors');

    await go(page, `/beheer/panels/${PANEL}/import`);
    await checker.check(page, 'member import');

    await go(page, '/beheer/audit');
    await checker.check(page, 'audit log');

    await go(page, `/beheer/panels/${PANEL}/verwerkingsregister`);
    await checker.check(page, 'records of processing');

    await go(page, '/beheer/api-sleutels');
    await checker.check(page, 'API keys');
    await page.fill('#f-name', 'Rapportage');
    await submit(page, 'main form[action="/beheer/api-sleutels"]');
    await checker.check(page, 'API keys: new key shown once', { sameTitleAs: 'API keys' });

    await go(page, `/beheer/panels/${PANEL}/vragenlijsten`);
    await checker.check(page, 'questionnaires');
    await page.fill('#f-json', '{"id": "kapot", "questions": [}');
    r = await submit(page, `main form[action="/beheer/panels/${PANEL}/vragenlijsten"]`);
    await expectErrorState(page, r, 'questionnaire upload with an error');
    await checker.check(page, 'questionnaire upload with an error');

    // The reference questionnaire, piloted with every question type.
    const reference = readFileSync(join(root, 'panel-schemas/examples/questionnaire.json'), 'utf8');
    const version = await upload(page, reference);
    await checker.check(page, 'questionnaire version review');
    await page.fill('#f-label', 'Jan, ervaringsdeskundige');
    await submit(page, `main form[action="/beheer/vragenlijsten/versies/${version}/pilotlinks"]`);
    await checker.check(page, 'questionnaire version review: pilot link made', {
      sameTitleAs: 'questionnaire version review',
    });
    await pilotReference(page, version, checker);
    await go(page, `/beheer/vragenlijsten/versies/${version}`);
    await checker.check(page, 'questionnaire version review after a pilot', {
      sameTitleAs: 'questionnaire version review',
    });

    // The questionnaire editor: the editor page, a question with every kind of field
    // (choice, exclusive option, other), an error state, and a new questionnaire.
    await go(page, `/beheer/vragenlijsten/versies/${version}/editor`);
    await checker.check(page, 'questionnaire editor');
    await go(page, `/beheer/vragenlijsten/versies/${version}/editor/vraag/3`);
    await checker.check(page, 'questionnaire editor: a question');
    await page.fill('#f-text', '');
    r = await submit(page, 'main form');
    await expectErrorState(page, r, 'questionnaire editor: a question with an error');
    await checker.check(page, 'questionnaire editor: a question with an error');
    await go(page, `/beheer/panels/${PANEL}/vragenlijsten/nieuw`);
    await checker.check(page, 'new questionnaire');
    r = await submit(page, 'main form');
    await expectErrorState(page, r, 'new questionnaire with an error');
    await checker.check(page, 'new questionnaire with an error');

    // A flash poll on one page.
    const flash = JSON.parse(readFileSync(join(root, 'panel-schemas/examples/flitspeiling.json'), 'utf8'));
    flash.one_page = true;
    const flashVersion = await upload(page, JSON.stringify(flash));
    await checker.check(page, 'flash poll version review');
    await pilotFlash(page, flashVersion, checker);

    await paperEntry(page, checker);
    return { version };
  } finally {
    await context.close();
  }
}

async function next(page) {
  return submit(page, 'main form[action*="/vraag/"]');
}

async function pilotReference(page, version, checker) {
  const base = `/voorbeeld/${version}`;
  // The check page before anything is answered, sent anyway: its error state.
  await go(page, base);
  await go(page, `${base}/controleren`);
  let r = await submit(page, `main form[action="${base}/controleren"]`);
  await expectErrorState(page, r, 'pilot: check page with a required answer missing');
  await checker.check(page, 'pilot: check page with a required answer missing');

  await go(page, base);
  await checker.check(page, 'pilot: intro');
  await navigate(page, () => page.click('main a.button'));
  expect(path(page) === `${base}/wie`, `start went to ${page.url()}`);
  await checker.check(page, 'pilot: who answers');
  r = await submit(page, `main form[action="${base}/wie"]`);
  await expectErrorState(page, r, 'pilot: who answers left empty');
  await checker.check(page, 'pilot: who answers left empty');
  await page.check('input[name=proxy][value=with_help]');
  await submit(page, `main form[action="${base}/wie"]`);
  const at = (id) => expect(path(page) === `${base}/vraag/${id}`, `expected question ${id}, at ${page.url()}`);

  at('werk_nu');
  await checker.check(page, 'pilot: single choice');
  await page.fill('#f-comment', 'Bedoelen jullie ook vrijwilligerswerk?');
  r = await next(page);
  await expectErrorState(page, r, 'pilot: required question left empty');
  await checker.check(page, 'pilot: required question left empty');
  await page.check('input[name=answer][value=ja]');
  await next(page);

  at('effect_leven');
  await checker.check(page, 'pilot: single choice with help');
  await page.check('input[name=answer][value=beter]');
  await next(page);

  at('cijfer_steun');
  await checker.check(page, 'pilot: grade');
  await page.check('input[name=answer][value="7"]');
  await next(page);

  at('steun_helpt');
  await checker.check(page, 'pilot: multiple choice with exclusive and other');
  await page.check('input[name=answer][value=niets]');
  await page.check('input[name=answer][value=jobcoach]');
  r = await next(page);
  await expectErrorState(page, r, 'pilot: exclusive answer combined');
  await checker.check(page, 'pilot: exclusive answer combined');
  await page.uncheck('input[name=answer][value=niets]');
  await page.check('input[name=answer][value=_other]');
  await page.fill('input[name=other_text]', 'Thuiswerken');
  await next(page);

  at('uren_week');
  await checker.check(page, 'pilot: number');
  await page.fill('input[name=answer]', '200');
  r = await next(page);
  await expectErrorState(page, r, 'pilot: number out of range');
  await checker.check(page, 'pilot: number out of range');
  await page.fill('input[name=answer]', '24');
  await next(page);

  at('eens_zeker');
  await checker.check(page, 'pilot: scale with "weet ik niet"');
  await page.check('input[name=answer][value=dont_know]');
  await next(page);

  at('wat_beter');
  await checker.check(page, 'pilot: open text');
  await page.fill('textarea[name=answer]', "Meer begrip van collega's.");
  await next(page);

  at('_closing');
  await checker.check(page, 'pilot: closing question');
  await page.fill('textarea[name=answer]', 'Nee, dank u.');
  await next(page);

  // The evaluation questions: answer each with its first choice.
  for (let n = 1; path(page).includes('/vraag/_eval_'); n++) {
    const id = path(page).split('/').pop();
    await checker.check(page, `pilot: evaluation question ${n} (${id})`);
    await page.check('input[name=answer] >> nth=0');
    await next(page);
  }

  expect(path(page) === `${base}/controleren`, `after the last question: ${page.url()}`);
  const check = await page.textContent('main');
  for (const want of ['Een jobcoach', 'Thuiswerken', 'Weet ik niet', '24']) {
    expect(check.includes(want), `check page lacks "${want}"`);
  }
  await checker.check(page, 'pilot: check page');
  await submit(page, `main form[action="${base}/controleren"]`);
  expect(path(page) === `${base}/klaar`, `sending went to ${page.url()}`);
  await checker.check(page, 'pilot: confirmation');
}

async function pilotFlash(page, version, checker) {
  const base = `/voorbeeld/${version}`;
  await go(page, base);
  await checker.check(page, 'flash poll: intro');
  await navigate(page, () => page.click('main a.button'));
  await page.check('input[name=proxy][value=alone]');
  await submit(page, `main form[action="${base}/wie"]`);
  expect(path(page) === `${base}/alle`, `flash poll start went to ${page.url()}`);
  await checker.check(page, 'flash poll: all questions on one page');
  await page.fill('textarea[name="answer.toelichting"]', 'Te duur');
  let r = await submit(page, `main form[action="${base}/alle"]`);
  await expectErrorState(page, r, 'flash poll: required question left empty');
  await checker.check(page, 'flash poll: required question left empty');
  await page.check('input[name="answer.drempel"][value=soms]');
  await submit(page, `main form[action="${base}/alle"]`);
  expect(path(page) === `${base}/controleren`, `flash poll went to ${page.url()}`);
  await checker.check(page, 'flash poll: check page');
  await submit(page, `main form[action="${base}/controleren"]`);
  await checker.check(page, 'flash poll: confirmation', { sameTitleAs: 'pilot: confirmation' });
}

/** The demo survey: the surveys list, the printable questionnaire, and a returned paper
 * questionnaire typed in (finding the member, an error state, one page, check, done). */
async function paperEntry(page, checker) {
  await go(page, '/beheer');
  await navigate(page, () => page.click(`main a[href="/beheer/panels/${PANEL}/enquetes"]`));
  await checker.check(page, 'surveys');
  await navigate(page, () => page.click('main a[href^="/beheer/enquetes/"][href$="/papier"]'));
  const entry = path(page);
  expect(/^\/beheer\/enquetes\/\d+\/papier$/.test(entry), `paper entry link went to ${page.url()}`);
  await checker.check(page, 'paper entry: find the member');

  await navigate(page, () => page.click('main a[href$="/papier"][href^="/beheer/vragenlijsten/versies/"]'));
  expect(/\/papier$/.test(path(page)), `printable link went to ${page.url()}`);
  const boxes = await page.locator('main .box').count();
  expect(boxes > 30, `printable questionnaire has ${boxes} boxes`);
  await checker.check(page, 'printable questionnaire');

  await go(page, entry);
  await page.fill('#f-q', 'a');
  await submit(page, 'main form[role=search]');
  expect((await page.locator('input[name=member]').count()) > 0, 'searching "a" found no invited member');
  await checker.check(page, 'paper entry: members found', { sameTitleAs: 'paper entry: find the member' });
  let r = await submit(page, `main form[action="${entry}"][method=post]`);
  await expectErrorState(page, r, 'paper entry: no member chosen');
  await checker.check(page, 'paper entry: no member chosen');
  await page.check('input[name=member] >> nth=-1');
  await submit(page, `main form[action="${entry}"][method=post]`);
  const m = path(page).match(/^(\/beheer\/papier\/\d+)\/wie$/);
  expect(m, `starting the entry went to ${page.url()}`);
  const base = m[1];
  await checker.check(page, 'paper entry: who filled it in');
  await page.check('input[name=proxy][value=with_help]');
  await submit(page, `main form[action="${base}/wie"]`);
  expect(path(page) === `${base}/alle`, `paper entry went to ${page.url()}`);
  await checker.check(page, 'paper entry: all questions on one page');

  await page.check('input[name="answer.werk_nu"][value=ja]');
  await page.fill('input[name="answer.uren_week"]', '200');
  r = await submit(page, `main form[action="${base}/alle"]`);
  await expectErrorState(page, r, 'paper entry: number out of range');
  await checker.check(page, 'paper entry: number out of range');
  await page.fill('input[name="answer.uren_week"]', '24');
  await page.check('input[name="answer.eens_zeker"][value=dont_know]');
  await submit(page, `main form[action="${base}/alle"]`);
  expect(path(page) === `${base}/controleren`, `paper entry went to ${page.url()}`);
  await checker.check(page, 'paper entry: check page', { sameTitleAs: 'pilot: check page' });
  await submit(page, `main form[action="${base}/controleren"]`);
  expect(path(page) === `${base}/klaar`, `sending the paper entry went to ${page.url()}`);
  await checker.check(page, 'paper entry: entered');
}

/** A demo member answers through the link in their invitation. */
export async function invitedMemberJourney(browser, server, checker, contextOptions) {
  expect(server.invitation, 'the demo printed no invitation link');
  const context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  const page = await context.newPage();
  try {
    await go(page, server.invitation);
    const base = path(page);
    expect(/^\/vragenlijst\/\d+$/.test(base), `invitation went to ${page.url()}`);
    await checker.check(page, 'member questionnaire: start');
    await go(page, `${base}/weergave`);
    await checker.check(page, 'member questionnaire: text and colours');
    await go(page, base);
    await navigate(page, () => page.click('main a.button'));
    expect(path(page) === `${base}/wie`, `start went to ${page.url()}`);
    await checker.check(page, 'member questionnaire: who answers');
    await page.check('input[name=proxy][value=alone]');
    await submit(page, `main form[action="${base}/wie"]`);
    expect(path(page) === `${base}/vraag/werk_nu`, `who answers went to ${page.url()}`);
    await checker.check(page, 'member questionnaire: first question');
    let r = await submit(page, 'main form[action*="/vraag/"]');
    await expectErrorState(page, r, 'member questionnaire: required question left empty');
    await checker.check(page, 'member questionnaire: required question left empty');
    await page.check('input[name=answer][value=nee]');
    await submit(page, 'main form[action*="/vraag/"]');
    await go(page, `${base}/controleren`);
    await checker.check(page, 'member questionnaire: check page');
    await submit(page, `main form[action="${base}/controleren"]`);
    expect(path(page) === `${base}/klaar`, `sending went to ${page.url()}`);
    await checker.check(page, 'member questionnaire: confirmation');
  } finally {
    await context.close();
  }
}
