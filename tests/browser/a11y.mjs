#!/usr/bin/env node
// Accessibility browser tests: start klankbord with demo data, drive Debian's Chromium
// headless through the member, manager, questionnaire, fieldwork, results and panel health pages, check each
// page with axe-core (WCAG 2.2 A/AA), at 320 CSS px for sideways scrolling, and for its
// title and language; then complete the reference questionnaire with the keyboard only.
//
//   node tests/browser/a11y.mjs
//
// Env: KLANKBORD_BIN (default $CARGO_TARGET_DIR/debug/klankbord, else target/debug/klankbord),
// CHROMIUM (default /usr/bin/chromium), VERBOSE=1 (print each step), SCREENSHOTS=folder
// (a PNG of each step at each width). Exit 1 on any violation or failure.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { AXE_TAGS, Checker, DESKTOP } from './checks.mjs';
import { fieldworkJourney } from './fieldwork.mjs';
import { invitedMemberJourney, managerJourney, memberJourney } from './journeys.mjs';
import { keyCount, keyboardRun, notes } from './keyboard.mjs';
import { panelHealthJourney } from './panel_health.mjs';
import { phoneJourney, phoneKeyboardRun } from './phone.mjs';
import { resultsJourney } from './results.mjs';
import { startServer } from './server.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN =
  process.env.KLANKBORD_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug', 'klankbord');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Debian's Chromium as root in a closed network: no sandbox, no background connections.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// The server sends a strict Content-Security-Policy; axe-core is injected as a script.
const CONTEXT = { viewport: DESKTOP, bypassCSP: true, locale: 'nl-NL' };

async function main() {
  const started = Date.now();
  for (const [what, file] of [
    ['klankbord binary (KLANKBORD_BIN)', BIN],
    ['Chromium (CHROMIUM)', CHROMIUM],
  ]) {
    if (!existsSync(file)) throw new Error(`${what} not found at ${file}`);
  }

  const server = await startServer(BIN);
  const ready = ((Date.now() - started) / 1000).toFixed(1);
  let browser = null;
  const checker = new Checker();
  const failures = [];
  let keyboard = null;
  const phases = [];
  const run = async (name, fn) => {
    const t0 = Date.now();
    try {
      return await fn();
    } catch (e) {
      const where = (e.stack ?? '')
        .split('\n')
        .filter((l) => l.includes('/tests/browser/') && !l.includes('node_modules'))
        .map((l) => l.trim())
        .slice(0, 3);
      failures.push(`${name}: ${e.message}${where.length ? `\n    ${where.join('\n    ')}` : ''}`);
      return null;
    } finally {
      phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  };
  try {
    // playwright starts Chromium with a new, empty --user-data-dir of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    await run('member journey', () => memberJourney(browser, server, checker, CONTEXT));
    await run('invited member journey', () => invitedMemberJourney(browser, server, checker, CONTEXT));
    const result = await run('manager and questionnaire journey', () =>
      managerJourney(browser, server, checker, CONTEXT, ROOT),
    );
    if (result) {
      // With JavaScript off: every page must work without it.
      keyboard = await run('keyboard-only run', () =>
        keyboardRun(browser, server, { ...CONTEXT, javaScriptEnabled: false }, result.version),
      );
    } else {
      failures.push('keyboard-only run: skipped, no questionnaire was uploaded');
    }
    await run('phone journey', () => phoneJourney(browser, server, checker, CONTEXT));
    const phoneKeyboard = await run('keyboard-only phone interview', () =>
      phoneKeyboardRun(browser, server, { ...CONTEXT, javaScriptEnabled: false }),
    );
    if (phoneKeyboard) notes.push(`keyboard-only phone interview: completed ("${phoneKeyboard.confirmation}")`);
    // Last: it adds a survey to the demo panel, which the paper entry above must not meet.
    await run('fieldwork journey', () => fieldworkJourney(browser, server, checker, CONTEXT));
    await run('results journey', () => resultsJourney(browser, server, checker, CONTEXT));
    await run('panel health and evaluation', () => panelHealthJourney(browser, server, checker, CONTEXT));
  } finally {
    if (browser) await browser.close().catch(() => {});
    const log = server.log().trim();
    if (failures.length && log) console.error(`klankbord's log (last lines):\n${log}`);
    await server.stop();
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`klankbord serve --demo ready after ${ready} s`);
  console.log(`axe-core tags: ${AXE_TAGS.join(', ')}`);
  console.log(`pages checked: ${checker.pages} (each at 1280 and 320 CSS px)`);
  console.log(`axe violations: ${checker.violations.length}`);
  console.log(`other page problems (title, lang, reflow): ${checker.problems.length}`);
  console.log(`keyboard-only run: ${keyboard ? `completed ("${keyboard.confirmation}")` : 'NOT completed'}`);
  if (keyboard) {
    const keys = Object.entries(keyCount)
      .map(([k, n]) => `${k} ×${n}`)
      .join(', ');
    console.log(`  keys: ${keys}`);
    for (const n of notes) console.log(`  ${n}`);
  }
  console.log(`time: ${seconds} s (${phases.join(', ')}; axe-core ${(checker.axeMs / 1000).toFixed(1)} s of it)`);
  if (checker.failed) console.error(`\nFAILED checks:\n${checker.report()}`);
  if (failures.length) console.error(`\nFAILED steps:\n  ${failures.join('\n  ')}`);
  return checker.failed || failures.length ? 1 : 0;
}

// Ctrl-C or a CI timeout: exit, and the exit handler in server.mjs stops klankbord.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(1));

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`browser tests could not run: ${e.stack ?? e}`);
    process.exit(1);
  },
);
