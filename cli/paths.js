// wasm-unbrick command line: the packages the paths and globs on it stand for.
'use strict'

const path = require('node:path')
const fs = require('node:fs')
const { globSync, isDynamicPattern } = require('tinyglobby')
const { fail } = require('./args.js')
const { loadBinding } = require('./binding.js')

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

/** { path, key } of the package a glob match belongs to (the core finds its files), or null. */
function packageFor(match) {
  let pkg
  try {
    pkg = loadBinding().locate(match)
  } catch (e) {
    // A directory of several packages: the core says so when it is patched.
    return e.code === 'usage' ? { path: match, key: `dir:${path.resolve(match)}` } : null
  }
  const dir = path.resolve(pkg.dir)
  // The directory when it holds this package only (what the user would type), else the glue file.
  let only = false
  try {
    only = loadBinding().locate(dir).stem === pkg.stem
  } catch {
    // several packages in it
  }
  const entry = path.join(dir, pkg.entry)
  return only ? { path: dir, key: `dir:${dir}` } : { path: entry, key: `entry:${entry}` }
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

module.exports = { expandPaths, NoMatchError, destinations }
