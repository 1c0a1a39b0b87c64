// The browser test (browser-suite.mjs) in Debian's Chromium, driven by
// playwright-core: the patched web and bundler targets in a page beside the
// unpatched ones, the panic=unwind fixtures in every exception-handling mode,
// and a web package over 8 MB, which Chromium's main thread refuses to
// instantiate synchronously, on the main thread and in a worker, with and
// without the standby instance.
import { describe } from 'node:test'
import { ENGINES } from './browser.mjs'
import { browserSuite } from './browser-suite.mjs'

describe('Chromium', () => {
  browserSuite(ENGINES.chromium)
})
