// The checks every page gets: axe-core with the WCAG 2.2 A/AA tags (at desktop width and
// at 320 CSS px), no horizontal scrolling at 320 CSS px (400% zoom of 1280), a
// non-empty <title> that no other step has, and html[lang].

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const DESKTOP = { width: 1280, height: 900 };
export const NARROW = { width: 320, height: 640 };

export class Checker {
  constructor() {
    this.pages = 0;
    this.violations = [];
    this.problems = [];
    this.titles = new Map(); // title -> step
    this.axeMs = 0;
  }

  problem(step, url, message) {
    this.problems.push({ step, url, message });
  }

  async axe(page, step, width) {
    const t0 = Date.now();
    const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
    if (!loaded) await page.addScriptTag({ content: AXE_SOURCE });
    const result = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
      AXE_TAGS,
    );
    this.axeMs += Date.now() - t0;
    for (const v of result.violations) {
      for (const node of v.nodes) {
        this.violations.push({
          step,
          width,
          url: page.url(),
          id: v.id,
          impact: node.impact ?? v.impact,
          target: node.target.join(' '),
          help: v.help,
          summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
        });
      }
    }
  }

  /**
   * Check the page that is open now as step `step`. `sameTitleAs` names an earlier step
   * that shows the same page in another state (display preferences), so may share its title.
   */
  async check(page, step, { sameTitleAs } = {}) {
    this.pages++;
    if (process.env.VERBOSE) console.log(`${new Date().toISOString().slice(11, 23)} ${step}`);
    const url = page.url();
    const { title, lang } = await page.evaluate(() => ({
      title: document.title,
      lang: document.documentElement.getAttribute('lang'),
    }));
    if (!title.trim()) this.problem(step, url, 'empty <title>');
    if (!lang || !lang.trim()) this.problem(step, url, '<html> has no lang');
    const earlier = this.titles.get(title);
    if (earlier !== undefined && earlier !== sameTitleAs) {
      this.problem(step, url, `<title> "${title}" is the same as at step "${earlier}"`);
    }
    if (earlier === undefined) this.titles.set(title, step);

    await this.axe(page, step, DESKTOP.width);
    await this.screenshot(page, step, DESKTOP.width);
    await page.setViewportSize(NARROW);
    try {
      const size = await page.evaluate(() => {
        const s = document.scrollingElement;
        return { scroll: s.scrollWidth, client: s.clientWidth };
      });
      if (size.scroll > size.client + 1) {
        const wide = await page.evaluate(() => {
          const limit = document.scrollingElement.clientWidth;
          return [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > limit + 1)
            .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > limit + 1))
            .slice(0, 5)
            .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).split(' ').join('.') : ''}`);
        });
        this.problem(
          step,
          url,
          `scrolls sideways at ${NARROW.width} px: scrollWidth ${size.scroll} > clientWidth ${size.client} (widest: ${wide.join(', ')})`,
        );
      }
      await this.axe(page, step, NARROW.width);
      await this.screenshot(page, step, NARROW.width);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  }

  /** With SCREENSHOTS=folder set: a full-page PNG of each step at each width, to look at. */
  async screenshot(page, step, width) {
    const dir = process.env.SCREENSHOTS;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    const name = `${String(this.pages).padStart(2, '0')}-${step.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}-${width}.png`;
    await page.screenshot({ path: join(dir, name), fullPage: true });
  }

  /** Violations (one entry per rule, page and element, with the widths it failed at), then the rest. */
  report(limit = 100) {
    const grouped = new Map();
    for (const v of this.violations) {
      const key = `${v.id}\u0000${v.step}\u0000${v.target}`;
      const g = grouped.get(key);
      if (g) g.widths.push(v.width);
      else grouped.set(key, { ...v, widths: [v.width] });
    }
    const lines = [...grouped.values()].map(
      (v) =>
        `  [${v.impact}] ${v.id} on "${v.step}" at ${v.widths.join(' and ')} px (${v.url})\n      target: ${v.target}\n      ${v.help}: ${v.summary}`,
    );
    for (const p of this.problems) lines.push(`  ${p.step} (${p.url}): ${p.message}`);
    const more = lines.length > limit ? `\n  … and ${lines.length - limit} more` : '';
    return lines.slice(0, limit).join('\n') + more;
  }

  get failed() {
    return this.violations.length + this.problems.length > 0;
  }
}
