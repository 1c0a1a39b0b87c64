// wasm-unbrick command line: its three commands: patch, --check and inspect.
'use strict'

const fs = require('node:fs')
const path = require('node:path')
const { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, checkOptions, fail, noOptions, optionsOf } = require('./args.js')
const { loadBinding } = require('./binding.js')
const { err, errorJson, errorText, found, isCoreError, out, printAnalysis, printReport, progressLine, summary } = require('./output.js')
const { destinations } = require('./paths.js')

function inspectCommand(values, paths) {
  noOptions(values, 'inspect')
  if (paths.length !== 1) fail('inspect takes exactly one path')
  const file = paths[0]
  const { analyze } = loadBinding()
  let analysis
  try {
    analysis = analyze(file)
  } catch (err) {
    if (isCoreError(err) && err.code === 'usage') throw new UsageError(err.message)
    console.error(`wasm-unbrick: ${errorText(file, err)}`)
    return EXIT_FAILURE
  }
  if (values.json) console.log(JSON.stringify(analysis, null, 2))
  else printAnalysis(analysis)
  return EXIT_OK
}

/** Packages bigger than this get a progress line even when there is only one. */
const LARGE_WASM = 8 * 1024 * 1024

function wasmSizeOf(file) {
  try {
    const dir = fs.statSync(file).isDirectory() ? file : path.dirname(file)
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('_bg.wasm'))
      .reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0)
  } catch {
    return 0
  }
}

/**
 * Runs `work(file, i)` for every path in turn and hands each outcome
 * ({ ok, value } or { ok: false, error }) to `done(outcome, i)` as soon as it
 * is there; a progress line shows on a TTY while many or large packages run.
 */
async function eachWithProgress(paths, verb, work, done) {
  const progress = progressLine()
  const showProgress = paths.length > 1 || paths.some((p) => wasmSizeOf(p) >= LARGE_WASM)
  for (let i = 0; i < paths.length; i++) {
    if (showProgress) progress.show(`[${i + 1}/${paths.length}] ${verb} ${paths[i]} ...`)
    let outcome
    try {
      outcome = { ok: true, value: await work(paths[i], i) }
    } catch (e) {
      outcome = { ok: false, error: e }
    }
    progress.clear()
    done(outcome, i)
  }
}

async function patchCommand(values, paths) {
  if (paths.length === 0) fail('no path given')
  if (values['out-dir'] === '') fail('--out-dir expects a directory')
  const addon = loadBinding()
  const options = optionsOf(values)
  const { dryRun } = checkOptions(addon, options)
  const outs = destinations(paths, values['out-dir'])

  const results = []
  let status = EXIT_OK
  const counts = { patched: 0, 'would be patched': 0, 'already patched': 0, failed: 0 }
  await eachWithProgress(
    paths,
    dryRun ? 'analysing' : 'patching',
    (file, i) => addon.patchAsync(file, outs[i] === undefined ? options : { ...options, outDir: outs[i] }),
    (o, i) => {
      const file = paths[i]
      if (!o.ok) {
        results.push({ path: file, ok: false, error: errorJson(o.error) })
        console.error(`wasm-unbrick: ${err.red(errorText(file, o.error))}`)
        status = Math.max(status, isCoreError(o.error) && o.error.code === 'usage' ? EXIT_USAGE : EXIT_FAILURE)
        counts.failed++
        return
      }
      const report = o.value
      results.push({ path: file, ok: true, report })
      counts[{ patched: 'patched', 'would-patch': 'would be patched', 'already-patched': 'already patched' }[report.status]]++
      if (!values.json) printReport(file, report)
    },
  )
  if (values.json) console.log(JSON.stringify(results, null, 2))
  else if (paths.length > 1) console.log(`${paths.length} packages: ${summary(counts)}`)
  return status
}

async function checkCommand(values, paths) {
  noOptions(values, '--check')
  if (paths.length === 0) fail('no path given')
  const { analyzeAsync } = loadBinding()
  const results = []
  let status = EXIT_OK
  const counts = { patched: 0, 'not patched': 0, failed: 0 }
  await eachWithProgress(
    paths,
    'checking',
    (file) => analyzeAsync(file),
    (o, i) => {
      const file = paths[i]
      if (!o.ok) {
        results.push({ path: file, ok: false, patched: false, error: errorJson(o.error) })
        console.error(`wasm-unbrick: ${err.red(errorText(file, o.error))}`)
        status = Math.max(status, isCoreError(o.error) && o.error.code === 'usage' ? EXIT_USAGE : EXIT_FAILURE)
        counts.failed++
        return
      }
      const a = o.value
      results.push({ path: file, ok: a.alreadyPatched, patched: a.alreadyPatched, analysis: a })
      if (a.alreadyPatched) {
        counts.patched++
        if (!values.json) console.log(`${out.bold(file)}: ${out.green('patched')} ${out.dim(`(${found(a)})`)}`)
        return
      }
      counts['not patched']++
      status = Math.max(status, EXIT_FAILURE)
      if (values.json) return
      const why = a.supported ? `run: wasm-unbrick ${file}` : `and cannot be: ${a.refusal}`
      console.log(`${out.bold(file)}: ${out.red('NOT patched')} ${out.dim(`(${found(a)})`)} ${why}`)
    },
  )
  if (values.json) console.log(JSON.stringify(results, null, 2))
  else if (paths.length > 1) console.log(`${paths.length} packages: ${summary(counts)}`)
  return status
}

module.exports = { inspectCommand, patchCommand, checkCommand }
