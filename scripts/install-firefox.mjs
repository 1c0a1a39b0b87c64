#!/usr/bin/env node
// Makes sure Debian's Firefox ESR is at /usr/bin/firefox-esr, which
// __test__/firefox.test.mjs drives through puppeteer-core (WebDriver BiDi).
// Installs it with apt-get when missing (needs root, as on CI). Importable:
// `ensureFirefox()` returns the path or throws.
import { ensureDebianProgram, runAsScript } from './install-debian.mjs'

export const FIREFOX = '/usr/bin/firefox-esr'

export function ensureFirefox(options) {
  return ensureDebianProgram(FIREFOX, 'firefox-esr', options)
}

runAsScript(import.meta.url, 'install-firefox', ensureFirefox)
