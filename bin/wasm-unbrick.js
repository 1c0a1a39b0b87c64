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
  wasm-unbrick <path|glob...> [options]   patch wasm-bindgen output
  wasm-unbrick --check <path|glob...>     exit 1 unless every package is patched
  wasm-unbrick inspect <path> [--json]    show what wasm-unbrick sees, change nothing

<path> is a wasm-bindgen output directory (the one holding x.js and
x_bg.wasm) or its glue .js file. A glob (*, **, ?, [..], {a,b}; quote it so
that the shell leaves it alone) stands for the packages it matches: the
directories holding a *_bg.wasm and the glue files beside one. Files are
patched in place unless --out-dir is given.

Options:
  --out-dir DIR       write the patched package into DIR; with several paths,
                      into DIR/<name of each package directory>
  --policy POLICY     when an aborted instance is re-created:
                      lazy (default: on the next call), eager (at once),
                      manual (only when the program asks)
  --eh-mode MODE      for a module built with panic=unwind, the exception
                      handling variant to load: auto (default: the best the
                      engine supports, probed at run time), modern, legacy or
                      none (no exception handling: every panic is an abort)
  --max-aborts N      aborts tolerated within the window before giving up (default 5)
  --window-ms N       length of that window in milliseconds (default 10000)
  --dry-run           analyse and report, write nothing
  --check             change nothing; exit 1 when a package is not patched
                      (for CI: run it on what you ship)
  --json              print JSON on stdout: inspect prints the analysis, patching
                      and --check print an array with one entry per package
  -h, --help          show this help
  -V, --version       show the version

Colours are used on a terminal only, and never when NO_COLOR is set.

Examples:
  wasm-unbrick pkg/                             patch wasm-pack's output in place
  wasm-unbrick pkg/my_crate.js --out-dir dist/  patch into another directory
  wasm-unbrick 'packages/*/pkg' --dry-run       what would change in every package
  wasm-unbrick 'node_modules/**/*_bg.wasm'      patch every wasm-bindgen package installed
  wasm-unbrick --check pkg/ || exit 1           in CI: fail when the build is unpatched
  wasm-unbrick inspect pkg/ --json              the analysis, as JSON

Exit status: 0 success (an already patched package counts as success),
1 unsupported input, a package not patched (--check) or other failure,
2 usage error.
`

class UsageError extends Error {}

function fail(message) {
  throw new UsageError(message)
}

// The flags that become the core's patch options (crates/unbrick-core/src/
// options.rs), by option key. The core checks and defaults their values.
const OPTION_FLAGS = {
  'out-dir': 'outDir',
  policy: 'policy',
  'eh-mode': 'ehMode',
  'max-aborts': 'maxAborts',
  'window-ms': 'windowMs',
  'dry-run': 'dryRun',
}
const NUMBER_OPTIONS = new Set(['maxAborts', 'windowMs'])

/** The options object of the flags given: numbers where the text is one. */
function optionsOf(values) {
  const options = {}
  for (const [flag, key] of Object.entries(OPTION_FLAGS)) {
    const text = values[flag]
    if (text === undefined) continue
    options[key] = NUMBER_OPTIONS.has(key) && /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text
  }
  return options
}

/** The core's verdict on the options, in the words of the command line. */
function checkOptions(binding, options) {
  try {
    return binding.parseOptions(options)
  } catch (e) {
    if (e.code !== 'usage') throw e
    const flag = Object.keys(OPTION_FLAGS).find((f) => e.message.startsWith(`invalid options: ${OPTION_FLAGS[f]}:`))
    fail(flag === undefined ? e.message : `--${flag}${e.message.slice(`invalid options: ${OPTION_FLAGS[flag]}`.length)}`)
  }
}

/** Refuses the patch options for a command that patches nothing. */
function noOptions(values, command) {
  const given = Object.keys(OPTION_FLAGS).find((flag) => values[flag] !== undefined)
  if (given !== undefined) fail(`--${given} does not apply to ${command}`)
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
        'eh-mode': { type: 'string' },
        'max-aborts': { type: 'string' },
        'window-ms': { type: 'string' },
        'dry-run': { type: 'boolean' },
        check: { type: 'boolean' },
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

// ---------------------------------------------------------------- output

/** Colours for a stream: on a TTY only, never with NO_COLOR (https://no-color.org). */
function palette(stream) {
  const on = Boolean(stream.isTTY) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && process.env.TERM !== 'dumb'
  const wrap = (open, close) => (text) => (on ? `\x1b[${open}m${text}\x1b[${close}m` : String(text))
  return { green: wrap(32, 39), yellow: wrap(33, 39), red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) }
}

const out = palette(process.stdout)
const err = palette(process.stderr)

/** One line on stderr that rewrites itself, shown on a TTY only. */
function progressLine() {
  const tty = Boolean(process.stderr.isTTY) && typeof process.stderr.clearLine === 'function'
  let shown = false
  return {
    show(text) {
      if (!tty) return
      const width = Math.max(20, (process.stderr.columns || 80) - 1)
      process.stderr.clearLine(0)
      process.stderr.cursorTo(0)
      process.stderr.write(text.length > width ? `${text.slice(0, width - 1)}…` : text)
      shown = true
    },
    clear() {
      if (!tty || !shown) return
      process.stderr.clearLine(0)
      process.stderr.cursorTo(0)
      shown = false
    },
  }
}

function size(n) {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${(n / 1024 / 1024).toFixed(2)} MiB`
}

function signedSize(n) {
  return `${n < 0 ? '-' : '+'}${size(Math.abs(n))}`
}

// ---------------------------------------------------------------- paths

const { globSync, isDynamicPattern } = require('tinyglobby')

/**
 * The files and directories matching `pattern`, sorted. node_modules is
 * entered only where the pattern names it, dot entries only where it names
 * them (`dot: false`).
 */
function expandGlob(pattern) {
  const ignore = pattern.includes('node_modules') ? [] : ['**/node_modules/**']
  return globSync(pattern, { absolute: true, onlyFiles: false, expandDirectories: false, ignore })
    .map((p) => path.resolve(p))
    .sort()
}

/**
 * The packages the command-line paths stand for. A path without glob
 * characters is kept as given (the core reports what is wrong with it). A
 * glob is expanded here (shells on Windows do not, and a quoted glob
 * reaches us as is); of its matches, directories holding a *_bg.wasm and
 * the glue files or *_bg.wasm files of a package are kept, one entry per
 * package. A glob that matches no package is an error.
 */
function expandPaths(args) {
  const result = []
  const seen = new Set()
  const add = (display, key) => {
    if (seen.has(key)) return
    seen.add(key)
    result.push(display)
  }
  for (const arg of args) {
    if (!isDynamicPattern(arg) || fs.existsSync(arg)) {
      add(arg, `arg:${path.resolve(arg)}`)
      continue
    }
    let found = 0
    for (const match of expandGlob(arg)) {
      const pkg = packageFor(match)
      if (!pkg) continue
      found++
      const display = path.isAbsolute(arg) ? pkg.path : path.relative(process.cwd(), pkg.path) || '.'
      add(display, pkg.key)
    }
    if (found === 0) throw new NoMatchError(`no wasm-bindgen package matches '${arg}'`)
  }
  return result
}

class NoMatchError extends Error {}

/** { path, key } of the package a glob match belongs to, or null. */
function packageFor(file) {
  let stat
  try {
    stat = fs.statSync(file)
  } catch {
    return null
  }
  const wasmIn = (dir) => {
    try {
      return fs.readdirSync(dir).filter((f) => f.endsWith('_bg.wasm'))
    } catch {
      return []
    }
  }
  if (stat.isDirectory()) {
    const wasm = wasmIn(file)
    return wasm.length > 0 ? { path: file, key: `dir:${file}` } : null
  }
  const dir = path.dirname(file)
  const base = path.basename(file)
  let stem
  if (base.endsWith('_bg.wasm')) stem = base.slice(0, -'_bg.wasm'.length)
  else if (/\.(?:m|c)?js$/.test(base)) stem = base.replace(/\.(?:m|c)?js$/, '').replace(/_bg$/, '')
  else return null
  if (!fs.existsSync(path.join(dir, `${stem}_bg.wasm`))) return null
  const glue = ['js', 'mjs', 'cjs'].map((e) => path.join(dir, `${stem}.${e}`)).find((f) => fs.existsSync(f))
  if (!glue) return null
  // The directory when it holds this package only (what the user would type), else the glue file.
  const only = wasmIn(dir).length === 1
  return { path: only ? dir : glue, key: only ? `dir:${dir}` : `glue:${glue}` }
}

function loadBinding() {
  // The WebAssembly build of the addon (the fallback where no native binary
  // fits) makes Node print "WASI is an experimental feature" once per
  // thread: silence that one warning, keep the others.
  const printers = process.listeners('warning')
  process.removeAllListeners('warning')
  process.on('warning', (w) => {
    if (w && w.name === 'ExperimentalWarning' && /\bWASI\b/.test(w.message)) return
    for (const print of printers) print(w)
  })
  // Its worker threads inherit these flags; they run nothing but the addon.
  process.execArgv.push('--no-warnings')
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
  return err instanceof Error && typeof err.code === 'string' && err.code !== 'internal' && !err.code.startsWith('ERR_')
}

function errorJson(err) {
  const code = err && typeof err.code === 'string' ? err.code : 'internal'
  return { code, message: String(err?.message) }
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
  const state = (g.state || []).map((step) => (step.kind === 'assign' ? step.name : `replay@${step.line}`))
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
    [
      'stack pointer',
      sp ? `global ${sp.global} (${sp.foundBy})${sp.exportedAs ? `, exported as ${sp.exportedAs}` : ', not exported'}` : 'not found',
    ],
    ['wasm', `${a.wasmSize} bytes, ${plural(a.wasmExports, 'export')}, ${plural(a.wasmImports, 'import')}`],
    ['instantiation', (g.instantiationSites || []).map((s) => `${s.api} (line ${s.line})`)],
    ['state found', state],
    ['classes', (g.classes || []).map((c) => c.name)],
    ['functions', (g.functions || []).length],
    ['unrecognised', (a.unrecognised || []).map((u) => `${u.what} (line ${u.line})`)],
    ['patchable', a.alreadyPatched ? 'no need' : a.supported ? 'yes' : `no: ${a.refusal}`],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  for (const [k, v] of rows) console.log(`${(`${k}:`).padEnd(width + 1)} ${show(v)}`)
}

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

// ---------------------------------------------------------------- patch

/** What was found, in a few words: "web target, wasm-bindgen 0.2.130". */
function found(analysis) {
  const a = analysis || {}
  const parts = [a.target ? `${a.target} target` : 'target not recognised']
  if (a.wasmBindgenVersion) parts.push(`wasm-bindgen ${a.wasmBindgenVersion}`)
  if (typeof a.wasmSize === 'number') parts.push(`${size(a.wasmSize)} of Wasm`)
  return parts.join(', ')
}

/** Human-readable form of unbrick-core's report::PatchReport. */
function printReport(file, report) {
  if (report.status === 'already-patched') {
    console.log(`${out.bold(file)}: ${out.yellow('already patched')}, nothing to do ${out.dim(`(${found(report.analysis)})`)}`)
    return
  }
  const verb = report.status === 'would-patch' ? 'would patch' : 'patched'
  const dest = report.outDir ? ` into ${report.outDir}` : ''
  console.log(`${out.bold(file)}: ${out.green(verb)}${dest} ${out.dim(`(${found(report.analysis)})`)}`)
  const files = report.files || []
  const width = Math.max(0, ...files.map((f) => f.name.length))
  let before = 0
  let after = 0
  for (const f of files) {
    before += f.before
    after += f.after
    console.log(
      `  ${f.name.padEnd(width)}  ${size(f.before).padStart(10)} -> ${size(f.after).padStart(10)}  ${out.dim(`(${signedSize(f.after - f.before)})`)}`,
    )
  }
  if (files.length > 1) {
    console.log(
      `  ${'total'.padEnd(width)}  ${size(before).padStart(10)} -> ${size(after).padStart(10)}  ${out.dim(`(${signedSize(after - before)})`)}`,
    )
  }
  for (const note of report.notes) console.log(`  ${out.yellow('note:')} ${note}`)
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

function summary(counts) {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`)
  return parts.join(', ')
}

async function patchCommand(values, paths) {
  if (paths.length === 0) fail('no path given')
  if (values['out-dir'] === '') fail('--out-dir expects a directory')
  const binding = loadBinding()
  const options = optionsOf(values)
  const { dryRun } = checkOptions(binding, options)
  const outs = destinations(paths, values['out-dir'])

  const results = []
  let status = EXIT_OK
  const counts = { patched: 0, 'would be patched': 0, 'already patched': 0, failed: 0 }
  await eachWithProgress(
    paths,
    dryRun ? 'analysing' : 'patching',
    (file, i) => binding.patchAsync(file, outs[i] === undefined ? options : { ...options, outDir: outs[i] }),
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

// ---------------------------------------------------------------- main

async function main(argv) {
  try {
    const { values, paths: args, inspect } = parseCommandLine(argv)
    if (values.help) {
      process.stdout.write(HELP)
      return EXIT_OK
    }
    if (values.version) {
      console.log(`wasm-unbrick ${version()}`)
      return EXIT_OK
    }
    if (inspect && values.check) fail('--check does not apply to inspect')
    let paths
    try {
      paths = expandPaths(args)
    } catch (e) {
      if (!(e instanceof NoMatchError)) throw e
      console.error(`wasm-unbrick: ${err.red(e.message)}`)
      return EXIT_FAILURE
    }
    if (inspect) return inspectCommand(values, paths)
    return values.check ? await checkCommand(values, paths) : await patchCommand(values, paths)
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`wasm-unbrick: ${e.message}`)
      console.error("Try 'wasm-unbrick --help'.")
      return EXIT_USAGE
    }
    // The loader's own message already starts with "wasm-unbrick: ".
    const message = String(e?.message)
    console.error(message.startsWith('wasm-unbrick: ') ? message : `wasm-unbrick: ${message}`)
    return EXIT_FAILURE
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
