// The npm packages as a user gets them: `npm pack` of wasm-unbrick, of the
// linux-x64-gnu platform package (with the built .node) and, when
// `npm run build:wasm` has run, of the WebAssembly build; installed into an
// empty temp project with `npm install <tgz>`; then `npx wasm-unbrick` on a
// fixture copy, natively and forced onto the WebAssembly build, with the
// outputs compared byte for byte.
//
// Needs the registry (unplugin, @napi-rs/wasm-runtime are dependencies) and
// Linux x64 (the only platform binary built here).
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FIXTURES = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130')
const NATIVE = path.join(ROOT, 'wasm-unbrick.linux-x64-gnu.node')
const WASI_DIR = path.join(ROOT, 'npm', 'wasm32-wasi')
const WASI_WASM = path.join(WASI_DIR, 'wasm-unbrick.wasm32-wasi.wasm')
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx'

const onLinuxX64 = process.platform === 'linux' && process.arch === 'x64'
const hasWasi = fs.existsSync(WASI_WASM)

function run(cmd, args, { cwd, env } = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 })
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error }
}

function mustRun(cmd, args, opts) {
  const r = run(cmd, args, opts)
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.error ?? r.status}):\n${r.stdout}\n${r.stderr}`)
  return r
}

/** `npm pack` of the package in dir into dest; returns the tarball's path. */
function pack(dir, dest) {
  const r = mustRun(NPM, ['pack', '--pack-destination', dest, '--json'], { cwd: dir })
  return path.join(dest, JSON.parse(r.stdout)[0].filename)
}

function files(dir) {
  return Object.fromEntries(
    fs
      .readdirSync(dir)
      .sort()
      .map((f) => [f, fs.readFileSync(path.join(dir, f))]),
  )
}

describe('packed tarballs', { skip: !onLinuxX64 && 'the platform binary is built for linux-x64 only' }, () => {
  let work
  let project
  const tarballs = {}

  before(() => {
    assert.ok(fs.existsSync(NATIVE), 'the addon is built (npm run build)')
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-pack-'))
    const dest = path.join(work, 'tgz')
    fs.mkdirSync(dest)
    tarballs.main = pack(ROOT, dest)
    // The platform package as `napi artifacts` would fill it, without touching npm/.
    const stage = path.join(work, 'linux-x64-gnu')
    fs.cpSync(path.join(ROOT, 'npm', 'linux-x64-gnu'), stage, { recursive: true })
    fs.copyFileSync(NATIVE, path.join(stage, path.basename(NATIVE)))
    tarballs.native = pack(stage, dest)
    if (hasWasi) tarballs.wasi = pack(WASI_DIR, dest)

    project = path.join(work, 'project')
    fs.mkdirSync(project)
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "user-project", "private": true }\n')
    const quiet = ['--no-audit', '--no-fund', '--loglevel=error']
    mustRun(NPM, ['install', ...quiet, tarballs.main, tarballs.native], { cwd: project })
    // cpu: ["wasm32"] keeps npm from installing it on x64 by itself.
    if (hasWasi) mustRun(NPM, ['install', ...quiet, '--force', tarballs.wasi], { cwd: project })
  })

  after(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true })
  })

  test('the main tarball carries the CLI, the loader, the types and every exported entry point', () => {
    const r = mustRun('tar', ['-tzf', tarballs.main])
    const names = r.stdout.split('\n').filter(Boolean).sort()
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
    const exported = Object.values(manifest.exports).flatMap((e) => (typeof e === 'string' ? [e] : Object.values(e)))
    assert.ok(exported.includes('./plugins/esbuild.mjs'), 'the exports are read')
    for (const f of [
      'package/bin/wasm-unbrick.js',
      'package/plugins/webpack-wasm-loader.cjs',
      ...exported.map((e) => `package/${e.replace(/^\.\//, '')}`),
    ]) {
      assert.ok(names.includes(f), `${f} in ${names.join(', ')}`)
    }
    assert.ok(!names.some((n) => n.includes('__test__') || n.includes('crates/') || n.endsWith('.node')), names.join(', '))
  })

  function patchWith(label, env, from = path.join(FIXTURES, 'bundler')) {
    const input = path.join(project, `in-${label}`)
    fs.cpSync(from, input, { recursive: true })
    const out = path.join(project, `out-${label}`)
    const r = run(NPX, ['--no-install', 'wasm-unbrick', `in-${label}`, '--out-dir', `out-${label}`], { cwd: project, env })
    assert.equal(r.status, 0, `${label}: ${r.stdout}\n${r.stderr}`)
    assert.match(r.stdout, new RegExp(`^in-${label}: patched into out-${label} \\(bundler target`, 'm'))
    assert.equal(r.stderr.replace(/^npm warn .*\n/gm, ''), '', `${label}: nothing on stderr`)
    const check = run(NPX, ['--no-install', 'wasm-unbrick', '--check', `out-${label}`], { cwd: project, env })
    assert.equal(check.status, 0, check.stdout + check.stderr)
    return files(out)
  }

  function bindingKind(env) {
    return mustRun(process.execPath, ['-p', "require('wasm-unbrick').bindingKind"], { cwd: project, env }).stdout.trim()
  }

  test('npx wasm-unbrick works with the native binary', () => {
    assert.equal(bindingKind(), 'native')
    const out = patchWith('native')
    assert.ok(out['bricked.js'].toString().includes('wasm-unbrick'))
  })

  test('the bundler plugins resolve from the installed package', () => {
    const r = mustRun(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const v = await import('wasm-unbrick/vite'); const w = await import('wasm-unbrick/webpack');" +
          'console.log(typeof v.default, typeof w.default, v.default().name)',
      ],
      { cwd: project },
    )
    assert.equal(r.stdout.trim(), 'function function wasm-unbrick')
  })

  test('the WebAssembly build gives the same bytes (NAPI_RS_FORCE_WASI)', { skip: !hasWasi && 'npm run build:wasm has not run' }, () => {
    assert.equal(bindingKind({ NAPI_RS_FORCE_WASI: 'error' }), 'wasm32-wasi')
    const native = patchWith('native-2')
    const wasi = patchWith('wasi', { NAPI_RS_FORCE_WASI: 'error' })
    assert.deepEqual(Object.keys(wasi), Object.keys(native))
    for (const name of Object.keys(native)) assert.ok(wasi[name].equals(native[name]), `${name} differs`)
    // A panic=unwind module: its variants are made on threads, there too.
    const unwind = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130-unwind-modern', 'bundler')
    const nativeEh = patchWith('native-eh', {}, unwind)
    const wasiEh = patchWith('wasi-eh', { NAPI_RS_FORCE_WASI: 'error' }, unwind)
    assert.ok(nativeEh['bricked_bg.legacy.wasm'] && nativeEh['bricked_bg.noeh.wasm'], Object.keys(nativeEh).join(' '))
    assert.deepEqual(Object.keys(wasiEh), Object.keys(nativeEh))
    for (const name of Object.keys(nativeEh)) assert.ok(wasiEh[name].equals(nativeEh[name]), `${name} differs`)
  })

  test('without a native binary the WebAssembly build is used', { skip: !hasWasi && 'npm run build:wasm has not run' }, () => {
    const platformDir = path.join(project, 'node_modules', 'wasm-unbrick-linux-x64-gnu')
    const hidden = `${platformDir}.hidden`
    fs.renameSync(platformDir, hidden)
    try {
      assert.equal(bindingKind(), 'wasm32-wasi')
      patchWith('fallback')
    } finally {
      fs.renameSync(hidden, platformDir)
    }
  })
})
