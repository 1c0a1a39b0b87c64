// A tiny glob matcher shared by the CLI and the bundler plugins (Node 20 has
// no fs.glob). Supports `*` and `?` (not across `/`), `**` (any number of
// directories), `{a,b}` alternatives and `[abc]` classes. Paths are matched
// with `/` separators.
'use strict'

const fs = require('node:fs')
const path = require('node:path')

const GLOB_CHARS = /[*?[{]/

function hasGlob(text) {
  return GLOB_CHARS.test(text)
}

function escape(ch) {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch
}

/** The regular expression source of one glob. */
function source(glob) {
  let out = ''
  let depth = 0
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/'
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/'
        if (atStart && atEnd) {
          // `**/` matches zero or more directories; a trailing `**` anything.
          if (i + 2 === glob.length) out += '.*'
          else out += '(?:[^/]*(?:/|$))*'
          i += 2
          continue
        }
      }
      out += '[^/]*'
    } else if (ch === '?') {
      out += '[^/]'
    } else if (ch === '[') {
      const end = glob.indexOf(']', i + 1)
      if (end === -1) out += '\\['
      else {
        let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\')
        if (body[0] === '!') body = `^${body.slice(1)}`
        out += `[${body}]`
        i = end
      }
    } else if (ch === '{') {
      depth++
      out += '(?:'
    } else if (ch === '}' && depth > 0) {
      depth--
      out += ')'
    } else if (ch === ',' && depth > 0) {
      out += '|'
    } else {
      out += escape(ch)
    }
  }
  return out
}

/** A RegExp matching whole `/`-separated paths against `glob`. */
function globToRegExp(glob) {
  return new RegExp(`^${source(glob)}$`)
}

function toSlash(p) {
  return p.split(path.sep).join('/')
}

/**
 * The files and directories matching `pattern` (relative to `cwd` or
 * absolute), sorted. Directories named node_modules or starting with `.`
 * are entered only when the pattern names them literally.
 */
function expandGlob(pattern, cwd = process.cwd()) {
  const abs = toSlash(path.resolve(cwd, pattern))
  const parts = abs.split('/')
  // The longest leading part without glob characters is where the walk starts.
  let fixed = 0
  while (fixed < parts.length && !hasGlob(parts[fixed])) fixed++
  const base = parts.slice(0, fixed).join('/') || '/'
  const rest = parts.slice(fixed)
  const results = []
  walk(base, rest, results)
  return [...new Set(results)].sort()
}

function walk(dir, parts, results) {
  if (parts.length === 0) {
    results.push(dir)
    return
  }
  const [part, ...rest] = parts
  if (part === '**') {
    walk(dir, rest, results) // zero directories
    for (const entry of readDir(dir)) {
      if (entry.isDirectory() && !hidden(entry.name)) walk(join(dir, entry.name), parts, results)
    }
    return
  }
  if (!hasGlob(part)) {
    const next = join(dir, part)
    if (fs.existsSync(next)) walk(next, rest, results)
    return
  }
  const re = globToRegExp(part)
  for (const entry of readDir(dir)) {
    if (hidden(entry.name) && !part.startsWith('.')) continue
    if (!re.test(entry.name)) continue
    if (rest.length > 0 && !entry.isDirectory()) continue
    walk(join(dir, entry.name), rest, results)
  }
}

function join(dir, name) {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`
}

function hidden(name) {
  return name.startsWith('.') || name === 'node_modules'
}

function readDir(dir) {
  try {
    return fs.readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

module.exports = { hasGlob, globToRegExp, expandGlob, toSlash }
