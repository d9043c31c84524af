// Keyboard only: log in as the manager and complete the reference questionnaire in the
// pilot with Tab, Shift+Tab, Space, Enter, the arrow keys and typing — never a click or
// a fill on an element. Reading the DOM (what has focus, what is checked) is allowed.

import { expect } from './journeys.mjs';

const MAX_TABS = 120;

/** Keys pressed, by key, and where some of them led, for the summary. */
export const keyCount = {};
export const notes = [];

export async function press(page, key) {
  keyCount[key] = (keyCount[key] ?? 0) + 1;
  await page.keyboard.press(key);
}

/** What has focus now, or null for none/body. */
export function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    return {
      tag: e.tagName.toLowerCase(),
      id: e.id,
      type: (e.getAttribute('type') ?? '').toLowerCase(),
      name: e.getAttribute('name') ?? '',
      value: e.value ?? '',
      checked: Boolean(e.checked),
      href: e.getAttribute('href') ?? '',
      text: (e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 80),
    };
  });
}

export function describe(f) {
  if (!f) return 'nothing';
  return `${f.tag}${f.id ? '#' + f.id : ''}${f.name ? `[name=${f.name}]` : ''}${f.text ? ` "${f.text}"` : ''}`;
}

/** Press Tab (or Shift+Tab) until the focused element matches. */
export async function tabTo(page, what, match, { back = false } = {}) {
  const key = back ? 'Shift+Tab' : 'Tab';
  const seen = [];
  for (let i = 0; i < MAX_TABS; i++) {
    await press(page, key);
    const f = await focused(page);
    if (f && match(f)) return f;
    seen.push(describe(f));
  }
  throw new Error(`keyboard: ${key} never reached ${what} on ${page.url()}; passed: ${seen.slice(0, 40).join(' → ')}`);
}

/** The focused element shows where it is: an outline or a box shadow. */
export async function expectFocusVisible(page, what) {
  const style = await page.evaluate(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    return { outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow };
  });
  const outline = style.outline !== 'none' && style.width !== '0px';
  const shadow = style.shadow !== 'none';
  expect(outline || shadow, `keyboard: focus not visible on ${what} (${JSON.stringify(style)}) at ${page.url()}`);
}

export async function pressAndWait(page, key) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), press(page, key)]);
}

export function at(page, path) {
  const now = new URL(page.url()).pathname;
  expect(now === path, `keyboard: expected ${path}, at ${page.url()}`);
}

export const isButton = (text) => (f) => f.tag === 'button' && f.text === text;

/** Move through a radio group with an arrow key until `value` is chosen. */
export async function chooseRadio(page, value, key = 'ArrowDown', name = 'answer') {
  const inGroup = (x) => x?.type === 'radio' && x.name === name;
  let f = await focused(page);
  if (!inGroup(f)) f = await tabTo(page, 'the answer choices', inGroup);
  for (let i = 0; i < 20 && f.value !== value; i++) {
    await press(page, key);
    f = await focused(page);
  }
  expect(f.value === value, `keyboard: could not reach radio ${value} with ${key}`);
  if (!f.checked) await press(page, 'Space');
  expect((await focused(page)).checked, `keyboard: radio ${value} is not chosen`);
}

export async function next(page) {
  await tabTo(page, 'the Volgende button', isButton('Volgende'));
  await pressAndWait(page, 'Enter');
}

export async function keyboardRun(browser, server, contextOptions, version) {
  const context = await browser.newContext({ ...contextOptions, baseURL: server.base });
  const page = await context.newPage();
  const base = `/voorbeeld/${version}`;
  try {
    // Log in: the skip link comes first and moves focus to the main content.
    await page.goto('/beheer/inloggen');
    await tabTo(page, 'the skip link', (f) => f.href === '#inhoud');
    await expectFocusVisible(page, 'the skip link');
    const box = await page.evaluate(() => {
      const r = document.activeElement.getBoundingClientRect();
      return { left: r.left, top: r.top, width: r.width };
    });
    expect(box.left >= 0 && box.top >= 0 && box.width > 0, `keyboard: the focused skip link is off screen (${JSON.stringify(box)})`);
    await press(page, 'Enter');
    notes.push(`skip link: focus on ${describe(await focused(page))}`);
    await tabTo(page, 'the email field', (f) => f.id === 'f-email');
    await expectFocusVisible(page, 'the email field');
    await page.keyboard.type(server.manager.email);
    await press(page, 'Tab');
    expect((await focused(page))?.id === 'f-password', 'keyboard: Tab from email does not reach the password');
    await page.keyboard.type(server.manager.password);
    await pressAndWait(page, 'Enter');
    at(page, '/beheer');

    // The pilot of the reference questionnaire.
    await page.goto(base);
    await tabTo(page, 'the start link', (f) => f.tag === 'a' && f.href.endsWith('/wie'));
    await expectFocusVisible(page, 'the start link');
    await pressAndWait(page, 'Enter');

    // Who answers: the member with help.
    at(page, `${base}/wie`);
    await chooseRadio(page, 'with_help', 'ArrowDown', 'proxy');
    await next(page);

    // 1. Sent empty first: the error summary link leads back to the question.
    at(page, `${base}/vraag/werk_nu`);
    await next(page);
    at(page, `${base}/vraag/werk_nu`);
    await tabTo(page, 'the error summary link', (f) => f.href === '#a-werk_nu');
    await expectFocusVisible(page, 'the error summary link');
    await press(page, 'Enter');
    notes.push(`error summary link #a-werk_nu: focus on ${describe(await focused(page))}`);
    await chooseRadio(page, 'ja');
    await expectFocusVisible(page, 'a radio button');
    await next(page);

    at(page, `${base}/vraag/effect_leven`);
    await chooseRadio(page, 'gelijk');
    await next(page);

    at(page, `${base}/vraag/cijfer_steun`);
    await chooseRadio(page, '7');
    await next(page);

    // Multiple choice: tick "other", type it, then go back (Shift+Tab) for one more.
    at(page, `${base}/vraag/steun_helpt`);
    await tabTo(page, 'the "other" checkbox', (f) => f.type === 'checkbox' && f.value === '_other');
    await press(page, 'Space');
    await press(page, 'Tab');
    expect((await focused(page))?.name === 'other_text', 'keyboard: Tab after "other" does not reach its text field');
    await page.keyboard.type('Thuiswerken');
    await tabTo(page, 'the jobcoach checkbox', (f) => f.type === 'checkbox' && f.value === 'jobcoach', { back: true });
    await expectFocusVisible(page, 'a checkbox');
    await press(page, 'Space');
    expect((await focused(page)).checked, 'keyboard: Space did not tick the checkbox');
    await next(page);

    // Number: out of range first, then corrected from the error summary.
    at(page, `${base}/vraag/uren_week`);
    await tabTo(page, 'the number field', (f) => f.id === 'a-uren_week');
    await page.keyboard.type('200');
    await pressAndWait(page, 'Enter');
    at(page, `${base}/vraag/uren_week`);
    expect((await page.locator('.error-summary').count()) === 1, 'keyboard: no error summary for 200 hours');
    await tabTo(page, 'the error summary link', (f) => f.href === '#a-uren_week');
    await press(page, 'Enter');
    let f = await focused(page);
    notes.push(`error summary link #a-uren_week: focus on ${describe(f)}`);
    if (f?.id !== 'a-uren_week') f = await tabTo(page, 'the number field', (x) => x.id === 'a-uren_week');
    await expectFocusVisible(page, 'the number field');
    await press(page, 'End');
    for (let i = 0; i < 3; i++) await press(page, 'Backspace');
    await page.keyboard.type('24');
    await pressAndWait(page, 'Enter');

    // Scale: ArrowUp from the first choice wraps round to "Weet ik niet".
    at(page, `${base}/vraag/eens_zeker`);
    await chooseRadio(page, 'dont_know', 'ArrowUp');
    await next(page);

    at(page, `${base}/vraag/wat_beter`);
    await tabTo(page, 'the text area', (f) => f.id === 'a-wat_beter');
    await page.keyboard.type("Meer begrip van collega's.");
    await next(page);

    at(page, `${base}/vraag/_closing`);
    await tabTo(page, 'the text area', (f) => f.id === 'a-_closing');
    await page.keyboard.type('Nee, dank u.');
    await next(page);

    // The evaluation questions: the second choice of each, by arrow key.
    while (new URL(page.url()).pathname.includes('/vraag/_eval_')) {
      const values = await page.evaluate(() => [...document.querySelectorAll('input[name=answer]')].map((i) => i.value));
      await chooseRadio(page, values[1]);
      await next(page);
    }

    at(page, `${base}/controleren`);
    const check = await page.textContent('main');
    for (const want of ['Ja', 'Mijn werk maakt niet veel uit', '7', 'Een jobcoach', 'Thuiswerken', '24', 'Weet ik niet', "Meer begrip van collega's.", 'Nee, dank u.']) {
      expect(check.includes(want), `keyboard: the check page lacks "${want}"`);
    }
    await tabTo(page, 'the send button', isButton('Antwoorden versturen'));
    await expectFocusVisible(page, 'the send button');
    await pressAndWait(page, 'Enter');
    at(page, `${base}/klaar`);
    const h1 = await page.textContent('h1');
    return { confirmation: h1.trim() };
  } finally {
    await context.close();
  }
}
