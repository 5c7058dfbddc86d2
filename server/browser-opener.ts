import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Opening the browser without putting the token on a command line: argv of `xdg-open` and of
 * the browser is readable by every user of the machine (`ps`, /proc/<pid>/cmdline). As Jupyter
 * does (jpserver-<pid>-open.html), the token URL goes in a mode-0600 HTML file that redirects to
 * it, and only that file's path is passed to the opener.
 */

/** Where the redirect file lives: $XDG_RUNTIME_DIR (a per-user tmpfs, mode 0700), else the project's .dqm/. */
export function redirectFolder(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && fs.existsSync(runtime)) return path.join(runtime, 'dqm');
  return path.join(projectRoot, '.dqm');
}

/**
 * Writes `<folder>/dqm-viz-<port>-open.html`, readable by its owner only (mode 0600 from the
 * moment it exists: an old file is removed first, as `open(..., 'wx', 0o600)` never widens).
 */
export function writeRedirectFile(folder: string, port: number, url: string): string {
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const file = path.join(folder, `dqm-viz-${port}-open.html`);
  fs.rmSync(file, { force: true });
  const href = escapeHtml(url);
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>DQM dashboard</title></head>
<body><p>Opening the DQM dashboard… If nothing happens, <a href="${href}">click here</a>.</p>
<script>window.location.replace(${JSON.stringify(url).replace(/</g, '\\u003c')});</script></body></html>
`;
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, html);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/**
 * The opener command: $DQM_BROWSER, else $BROWSER (Python's webbrowser convention), else
 * xdg-open (Linux) / open (macOS) when on PATH; undefined on lxplus or CI (the URL is printed).
 */
export function openerCommand(env: NodeJS.ProcessEnv = process.env): string | undefined {
  // $BROWSER may list several (`firefox:chromium`): the first is taken.
  const chosen = (env.DQM_BROWSER || env.BROWSER)?.split(path.delimiter)[0];
  if (chosen) return chosen;
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  const found = (env.PATH ?? '').split(path.delimiter).some((d) => d && fs.existsSync(path.join(d, opener)));
  return found ? opener : undefined;
}

/** Opens `file` (the redirect file, never a URL with the token) with the opener, detached; failures are silent. */
export function openInBrowser(file: string, opener = openerCommand()): boolean {
  if (!opener) return false;
  try {
    const child = spawn(opener, [file], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    // No browser is not an error: the URL is printed.
    return false;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
