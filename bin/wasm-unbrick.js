#!/usr/bin/env node
// wasm-unbrick command line: argument parsing and printing over the addon.
'use strict'

const { parseArgs } = require('node:util')
const path = require('node:path')
const fs = require('node:fs')

const EXIT_OK = 0
const EXIT_FAILURE = 1
const EXIT_USAGE = 2

const HELP = `\
Usage:
  wasm-unbrick <path...> [options]     patch wasm-bindgen output
  wasm-unbrick inspect <path> [--json] show what wasm-unbrick sees, change nothing

<path> is a wasm-bindgen output directory (the one holding x.js and
x_bg.wasm) or its glue .js file. Files are patched in place unless
--out-dir is given.

Options:
  --out-dir DIR       write the patched package into DIR; with several paths,
                      into DIR/<name of each package directory>
  --policy POLICY     when an aborted instance is re-created:
                      lazy (default: on the next call), eager (at once),
                      manual (only when the program asks)
  --max-aborts N      aborts tolerated within the window before giving up (default 5)
  --window-ms N       length of that window in milliseconds (default 10000)
  --dry-run           analyse and report, write nothing
  --json              print JSON on stdout: inspect prints the analysis, patching
                      prints an array with one {path, ok, report | error} per path
  -h, --help          show this help
  -V, --version       show the version

Exit status: 0 success (an already patched package counts as success),
1 unsupported input or other failure, 2 usage error.
`

class UsageError extends Error {}

function fail(message) {
  throw new UsageError(message)
}

function parseU32(name, text) {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text) || Number(text) > 0xffffffff) {
    fail(`--${name} expects a whole number from 0 to 4294967295, got '${text}'`)
  }
  return Number(text)
}

function parseCommandLine(argv) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        'out-dir': { type: 'string' },
        policy: { type: 'string' },
        'max-aborts': { type: 'string' },
        'window-ms': { type: 'string' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    })
  } catch (e) {
    fail(e.message)
  }
  const { values, positionals, tokens } = parsed
  // `inspect` is a command only before `--`: `wasm-unbrick -- inspect` patches ./inspect.
  const first = tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator')
  const inspect = first !== undefined && first.kind === 'positional' && first.value === 'inspect'
  return { values, paths: inspect ? positionals.slice(1) : positionals, inspect }
}

function loadBinding() {
  return require('../index.js')
}

function version() {
  return require('../package.json').version
}

/** Error text for stderr: the core's errors already start with the file they are about. */
function errorText(file, err) {
  const message = String(err && err.message !== undefined ? err.message : err)
  return isCoreError(err) ? message : `${file}: ${message}`
}

/** An error from unbrick-core: its `code` is the core's error kind. */
function isCoreError(err) {
  return (
    err instanceof Error &&
    typeof err.code === 'string' &&
    err.code !== 'internal' &&
    !err.code.startsWith('ERR_')
  )
}

function errorJson(err) {
  const code = err && typeof err.code === 'string' ? err.code : 'internal'
  return { code, message: String(err && err.message) }
}

// ---------------------------------------------------------------- inspect

function show(value) {
  if (value === undefined || value === null) return '-'
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  if (Array.isArray(value)) return value.length ? value.map(show).join(', ') : 'none'
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** Human-readable form of unbrick-core's report::Analysis. */
function printAnalysis(a) {
  const g = a.glueState || {}
  const state = (g.state || []).map((step) =>
    step.kind === 'assign' ? step.name : `replay@${step.line}`,
  )
  const sp = a.stackPointer
  const files = [a.glue, a.bgGlue, a.wasm, a.dts].filter(Boolean)
  const rows = [
    ['package', a.path],
    ['files', files.join(', ')],
    ['wasm-bindgen', a.wasmBindgenVersion ?? 'unknown (no producers section)'],
    ['target', a.target ?? 'not recognised'],
    ['module kind', g.moduleKind],
    ['exception handling', a.ehFlavour],
    ['upstream abort handling', a.upstreamAbortHandling],
    ['already patched', a.alreadyPatched],
    ['stack pointer', sp ? `global ${sp.global} (${sp.foundBy})${sp.exportedAs ? `, exported as ${sp.exportedAs}` : ', not exported'}` : 'not found'],
    ['wasm', `${a.wasmSize} bytes, ${plural(a.wasmExports, 'export')}, ${plural(a.wasmImports, 'import')}`],
    ['instantiation', (g.instantiationSites || []).map((s) => `${s.api} (line ${s.line})`)],
    ['state found', state],
    ['classes', (g.classes || []).map((c) => c.name)],
    ['functions', (g.functions || []).length],
    ['unrecognised', (a.unrecognised || []).map((u) => `${u.what} (line ${u.line})`)],
    ['patchable', a.alreadyPatched ? 'no need' : a.supported ? 'yes' : `no: ${a.refusal}`],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  for (const [k, v] of rows) console.log(`${(k + ':').padEnd(width + 1)} ${show(v)}`)
}

function inspectCommand(values, paths) {
  for (const name of ['out-dir', 'policy', 'max-aborts', 'window-ms', 'dry-run']) {
    if (values[name] !== undefined) fail(`--${name} does not apply to inspect`)
  }
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

// ---------------------------------------------------------------- patch

/** Human-readable form of unbrick-core's report::PatchReport. */
function printReport(file, report) {
  if (report.status === 'already-patched') {
    console.log(`${file}: already patched, nothing to do`)
    return
  }
  const verb = report.status === 'would-patch' ? 'would patch' : 'patched'
  const dest = report.outDir ? ` into ${report.outDir}` : ''
  console.log(`${file}: ${verb}${dest}`)
  for (const f of report.files || []) {
    console.log(`  ${f.name}: ${f.before} -> ${f.after} bytes`)
  }
}

/** Where each path goes: DIR itself for one path, DIR/<package directory name> for several. */
function destinations(paths, outDir) {
  if (outDir === undefined) return paths.map(() => undefined)
  if (paths.length === 1) return [outDir]
  const seen = new Map()
  return paths.map((p) => {
    let dir = path.resolve(p)
    try {
      if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir)
    } catch {
      // Missing path: the core reports it.
    }
    const dest = path.join(outDir, path.basename(dir))
    if (seen.has(dest)) fail(`${seen.get(dest)} and ${p} would both be written to ${dest}`)
    seen.set(dest, p)
    return dest
  })
}

function patchCommand(values, paths) {
  if (paths.length === 0) fail('no path given')
  const policy = values.policy
  if (policy !== undefined && !['lazy', 'eager', 'manual'].includes(policy)) {
    fail(`--policy expects lazy, eager or manual, got '${policy}'`)
  }
  const options = {
    policy,
    maxAborts: parseU32('max-aborts', values['max-aborts']),
    windowMs: parseU32('window-ms', values['window-ms']),
    dryRun: values['dry-run'] === true,
  }
  if (values['out-dir'] === '') fail('--out-dir expects a directory')
  const outs = destinations(paths, values['out-dir'])

  const { patch } = loadBinding()
  const results = []
  let status = EXIT_OK
  paths.forEach((file, i) => {
    const out = outs[i]
    let report
    try {
      report = patch(file, { ...options, outDir: out })
    } catch (err) {
      results.push({ path: file, ok: false, error: errorJson(err) })
      console.error(`wasm-unbrick: ${errorText(file, err)}`)
      status = Math.max(status, isCoreError(err) && err.code === 'usage' ? EXIT_USAGE : EXIT_FAILURE)
      return
    }
    results.push({ path: file, ok: true, report })
    if (!values.json) printReport(file, report)
  })
  if (values.json) console.log(JSON.stringify(results, null, 2))
  return status
}

// ---------------------------------------------------------------- main

function main(argv) {
  try {
    const { values, paths, inspect } = parseCommandLine(argv)
    if (values.help) {
      process.stdout.write(HELP)
      return EXIT_OK
    }
    if (values.version) {
      console.log(`wasm-unbrick ${version()}`)
      return EXIT_OK
    }
    return inspect ? inspectCommand(values, paths) : patchCommand(values, paths)
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`wasm-unbrick: ${err.message}`)
      console.error("Try 'wasm-unbrick --help'.")
      return EXIT_USAGE
    }
    // The loader's own message already starts with "wasm-unbrick: ".
    const message = String(err && err.message)
    console.error(message.startsWith('wasm-unbrick: ') ? message : `wasm-unbrick: ${message}`)
    return EXIT_FAILURE
  }
}

process.exitCode = main(process.argv.slice(2))
