// A dedicated module worker for browser.mjs's runIn: imports the module it
// is sent, runs the named export, posts back its result or its error.
self.onmessage = async ({ data: { moduleUrl, fn, args } }) => {
  try {
    self.postMessage({ result: await (await import(moduleUrl))[fn](...args) })
  } catch (e) {
    self.postMessage({ error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e) })
  }
}
