#!/usr/bin/env node
// The exception-handling variants of a large real module: the 5.7 MB
// panic=unwind build of fixtures/crates/large-eh (oxc, regex, serde_json,
// pulldown-cmark; built by fixtures/scripts/build-large-eh.sh, about 12
// minutes the first time, so not part of npm test). Each flavour (modern and
// legacy build) is patched, every mode this Node can load is forced in
// turn, and the same work runs in each: minify, transform, declarations,
// analysis, markdown, regex and JSON on real inputs, a panic, and the work
// again. Results must equal the unpatched module's; a panic must unwind
// (PanicError, state kept) where there is exception handling and be
// recovered by re-creating the instance where there is none.
//   node scripts/test-large-eh.mjs     (on each Node: exits 1 on a mismatch)
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cache = process.env.WASM_UNBRICK_CACHE || path.join(root, '.cache')
const build = spawnSync('bash', [path.join(root, 'fixtures/scripts/build-large-eh.sh')], { stdio: ['ignore', 'ignore', 'inherit'] })
if (build.status !== 0) process.exit(1)

const read = (file) => fs.readFileSync(path.join(root, file), 'utf8')
const INPUTS = {
  js: read('runtime/unbrick-runtime.js'),
  ts: `${read('plugins/vite.d.mts')}\nexport const f = <T,>(x: T): T => x\nexport class C { #p = 1; get p(): number { return this.#p } }\n`,
  md: read('README.md'),
  json: read('package.json'),
}

function work(m) {
  return {
    minify: m.minify(INPUTS.js, 'runtime.js'),
    transform: m.transform(INPUTS.ts, 'x.ts', 'es2015'),
    declarations: m.isolated_declarations(INPUTS.ts, 'x.ts'),
    analyze: m.analyze(INPUTS.js, 'runtime.js'),
    markdown: m.markdown_to_html(INPUTS.md),
    regex: m.regex_replace('(\\w+)@(\\d+)', INPUTS.md, '$2:$1'),
    json: m.reformat_json(INPUTS.json, true),
  }
}

function errorName(e) {
  return e instanceof WebAssembly.Exception ? 'WebAssembly.Exception' : e?.name
}

async function load(dir) {
  const m = await import(pathToFileURL(path.join(dir, 'large_eh.js')))
  const file = m.__unbrick ? m.__unbrick.wasmFile('large_eh_bg.wasm') : 'large_eh_bg.wasm'
  m.initSync({ module: fs.readFileSync(path.join(dir, file)) })
  return m
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'unbrick-large-eh-'))
let copies = 0
function copyOf(dir, ehMode) {
  const out = path.join(scratch, `p${copies++}`)
  if (ehMode === null) {
    fs.cpSync(dir, out, { recursive: true })
  } else {
    const args = [path.join(root, 'bin/wasm-unbrick.js'), dir, '--out-dir', out, ...(ehMode ? ['--eh-mode', ehMode] : [])]
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`wasm-unbrick failed: ${r.stderr}`)
  }
  fs.writeFileSync(path.join(out, 'package.json'), '{"type":"module"}')
  return out
}

console.error = () => {} // the panic hook's report of the panic below
let failed = false
for (const flavour of ['modern', 'legacy']) {
  const dir = path.join(cache, 'large-eh', flavour)
  let expected = null
  try {
    expected = work(await load(copyOf(dir, null)))
  } catch (e) {
    console.log(`${flavour} build, unpatched: cannot run here (${String(e).slice(0, 80)}); comparing the modes with each other`)
  }
  const auto = await load(copyOf(dir, ''))
  const support = globalThis[Symbol.for('wasm-unbrick.eh-support')]
  const modes = ['modern', 'legacy', 'none'].filter((mode) => mode === 'none' || support[mode])
  for (const mode of ['auto', ...modes]) {
    const label = `${flavour} build, ${mode === 'auto' ? `auto (${auto.__unbrick.mode})` : mode} on Node ${process.version}`
    try {
      const m = mode === 'auto' ? auto : await load(copyOf(dir, mode))
      const before = work(m)
      expected ??= before
      assert.deepEqual(before, expected, 'same results as the unpatched module')
      let panic
      try {
        m.fail('boom')
      } catch (e) {
        panic = errorName(e)
      }
      const unwinds = m.__unbrick.mode !== 'none'
      assert.equal(panic, unwinds ? 'PanicError' : 'WasmAbortError')
      assert.deepEqual(work(m), expected, 'same results after the panic')
      // The default policy re-creates the instance at the next call.
      assert.equal(m.__unbrick.generation, unwinds ? 0 : 1, unwinds ? 'the instance is kept' : 'the instance was re-created')
      console.log(`ok   ${label}: ${Object.keys(before).length} calls, panic -> ${panic}, same results after`)
    } catch (e) {
      failed = true
      console.log(`FAIL ${label}: ${String(e.message || e).split('\n')[0]}`)
    }
  }
}
fs.rmSync(scratch, { recursive: true, force: true })
process.exit(failed ? 1 : 0)
