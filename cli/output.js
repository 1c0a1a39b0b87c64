// wasm-unbrick command line: what it prints: colours, progress, reports, errors.
'use strict'

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
  const pointer = (sp) =>
    sp ? `global ${sp.global} (${sp.foundBy})${sp.exportedAs ? `, exported as ${sp.exportedAs}` : ', not exported'}` : 'not found'
  const files = [a.entry, a.bg, a.wasm, a.dts].filter(Boolean)
  const rows = [
    ['package', a.path],
    ['files', files.join(', ')],
    ['other glue sets', (a.otherSets || []).map((set) => `${set.entry} (${set.target ?? 'target not recognised'})`)],
    ['wasm-bindgen', a.wasmBindgenVersion ?? 'unknown (no producers section)'],
    ['target', a.target ?? 'not recognised'],
    ['module kind', g.moduleKind],
    ['exception handling', a.ehFlavour],
    ['upstream abort handling', a.upstreamAbortHandling],
    ['already patched', a.alreadyPatched],
    ['stack pointer', pointer(a.stackPointer)],
    ['externref stack pointer', pointer(a.externrefStackPointer)],
    ['wasm', `${a.wasmSize} bytes, ${plural(a.wasmExports, 'export')}, ${plural(a.wasmImports, 'import')}`],
    ['instantiation', (g.instantiationSites || []).map((s) => `${s.api} (line ${s.line})`)],
    ['state found', state],
    ['classes', (g.classes || []).map((c) => c.name)],
    ['functions', (g.functions || []).length],
    ['unrecognised', (a.unrecognised || []).map((u) => `${u.what} (line ${u.line})`)],
    ['patchable', a.alreadyPatched ? 'no need' : a.supported ? 'yes' : `no: ${a.refusal}`],
  ]
  if (a.skipped?.length) rows.push(['left alone', a.skipped.map((s) => `${s.file}: ${s.reason}`)])
  const width = Math.max(...rows.map(([k]) => k.length))
  for (const [k, v] of rows) console.log(`${(`${k}:`).padEnd(width + 1)} ${show(v)}`)
  for (const other of a.otherModules || []) {
    console.log('')
    printAnalysis({ ...other, path: `${a.path} (module ${other.wasm})` })
  }
}

/** Every glue set of an analysis, over all its modules: { module, entry, bg, target }. */
function entriesOf(a) {
  return [a, ...(a.otherModules || [])].flatMap((m) =>
    [{ entry: m.entry, bg: m.bg, target: m.target }, ...(m.otherSets || [])].map((set) => ({ module: m, ...set })),
  )
}

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
  const entries = entriesOf(report.analysis)
  const width = Math.max(0, ...files.map((f) => f.name.length))
  const line = (name, before, after, what = '') =>
    console.log(
      `  ${name.padEnd(width)}  ${size(before).padStart(10)} -> ${size(after).padStart(10)}  ${out.dim(`(${signedSize(after - before)})`)}${what}`,
    )
  let before = 0
  let after = 0
  const shown = new Set()
  // With several glue sets, one line per entry first: the file, what it is, its size.
  if (entries.length > 1) {
    for (const e of entries) {
      for (const name of [e.entry, e.bg].filter(Boolean)) {
        const f = files.find((file) => file.name === name)
        if (!f) continue
        shown.add(name)
        line(name, f.before, f.after, out.dim(` ${e.target ?? 'target not recognised'} glue of ${e.module.wasm}`))
      }
    }
  }
  for (const f of files) {
    before += f.before
    after += f.after
    if (!shown.has(f.name)) line(f.name, f.before, f.after)
  }
  if (files.length > 1) line('total', before, after)
  for (const s of report.analysis?.skipped || []) console.log(`  ${out.yellow('left alone:')} ${s.file}: ${s.reason}`)
  for (const note of report.notes) console.log(`  ${out.yellow('note:')} ${note}`)
}

function summary(counts) {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`)
  return parts.join(', ')
}

module.exports = { out, err, progressLine, errorText, isCoreError, errorJson, printAnalysis, found, printReport, summary }
