#!/usr/bin/env node
// Makes sure Debian's Chromium is at /usr/bin/chromium, which the browser
// test drives through playwright-core. Installs it with apt-get when missing
// (needs root, as on CI). Importable: `ensureChromium()` returns the path or
// throws.
import { ensureDebianProgram, runAsScript } from './install-debian.mjs'

export const CHROMIUM = '/usr/bin/chromium'

export function ensureChromium(options) {
  return ensureDebianProgram(CHROMIUM, 'chromium', options)
}

runAsScript(import.meta.url, 'install-chromium', ensureChromium)
