// Starts the real klankbord binary with demo data in a temporary folder (SQLite file and
// file outbox there) and stops it again; reads mail that lands in the outbox.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Run `klankbord serve --demo`; resolves once /healthz answers and the manager login
 * has been printed. `stop()` ends the process and removes the folder.
 */
export async function startServer(bin, { startTimeoutMs = 60_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'klankbord-browser-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  // The run must not reach a real database or mail server from the caller's environment.
  delete env.KLANKBORD_SMTP_URL;
  Object.assign(env, {
    DATABASE_URL: `sqlite://${join(dir, 'klankbord.db')}?mode=rwc`,
    KLANKBORD_ADDR: `127.0.0.1:${port}`,
    KLANKBORD_BASE_URL: base,
    KLANKBORD_OUTBOX_DIR: join(dir, 'outbox'),
    KLANKBORD_LOG: env.KLANKBORD_LOG ?? 'warn',
  });
  const child = spawn(bin, ['serve', '--demo'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = null;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    if (stderr.length > 100_000) stderr = stderr.slice(-50_000);
  });
  const exitedPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.on('error', (e) => {
      exited = { code: null, signal: null, error: e };
      resolve();
    });
  });

  // If this process ends any other way (a signal, process.exit), take the server along.
  const onExit = () => {
    if (!exited) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', onExit);

  const server = {
    base,
    dir,
    outbox: join(dir, 'outbox'),
    manager: null,
    log: () => stderr.split('\n').slice(-30).join('\n'),
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const killed = await Promise.race([exitedPromise.then(() => true), sleep(10_000).then(() => false)]);
        if (!killed) {
          child.kill('SIGKILL');
          await exitedPromise;
        }
      }
      rmSync(dir, { recursive: true, force: true });
      process.off('exit', onExit);
    },
  };

  const deadline = Date.now() + startTimeoutMs;
  try {
    for (;;) {
      if (exited) {
        throw new Error(
          `klankbord exited before it was ready (${exited.error ?? `code ${exited.code}, signal ${exited.signal}`})\n${stderr}`,
        );
      }
      const login = stdout.match(/manager login: (\S+) \/ (\S+)/);
      if (login) {
        try {
          const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
          if (r.ok) {
            server.manager = { email: login[1], password: login[2] };
            server.invitation = stdout.match(/a demo member's invitation: (\S+)/)?.[1];
            const interviewer = stdout.match(/interviewer login: (\S+) \/ (\S+)/);
            if (interviewer) server.interviewer = { email: interviewer[1], password: interviewer[2] };
            server.results = stdout.match(/a demo respondent's link to the results: (\S+)/)?.[1];
            return server;
          }
        } catch {
          // not listening yet
        }
      }
      if (Date.now() > deadline) {
        throw new Error(`klankbord did not answer /healthz within ${startTimeoutMs} ms\n${stdout}\n${stderr}`);
      }
      await sleep(200);
    }
  } catch (e) {
    await server.stop();
    throw e;
  }
}

/** Undo quoted-printable: soft line breaks first, then =XX bytes (UTF-8). */
export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Wait for a mail sent after `since` (ms) to `to`, and return the first link in it whose
 * path starts with `pathPrefix`, as a path (the outbox worker sends asynchronously).
 */
export async function linkFromOutbox(outbox, { to, since, pathPrefix, timeoutMs = 20_000 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let files = [];
    try {
      files = readdirSync(outbox)
        .filter((f) => f.endsWith('.eml'))
        .map((f) => ({ f, t: statSync(join(outbox, f)).mtimeMs }))
        .filter((x) => x.t >= since - 1_000)
        .sort((a, b) => b.t - a.t);
    } catch {
      // the folder appears with the first mail
    }
    for (const { f } of files) {
      const mail = decodeQuotedPrintable(readFileSync(join(outbox, f), 'utf8'));
      if (!mail.includes(to)) continue;
      const re = new RegExp(`https?://[^\\s"<>]+(${pathPrefix.replace(/[/]/g, '\\/')}[A-Za-z0-9_-]+)`);
      const m = mail.match(re);
      if (m) return m[1];
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} with a ${pathPrefix} link arrived in ${outbox}`);
    await sleep(200);
  }
}
