// The command line (bin/wasm-unbrick.js) on copies of the fixtures in temp
// directories: exit codes, --check, --dry-run, --json, globs, messages for
// bad input, and no colours or progress line when not on a terminal.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CLI = path.join(ROOT, 'bin', 'wasm-unbrick.js')
const FIXTURES = path.join(ROOT, 'fixtures', 'out', 'wbg-0.2.130')
const TARGETS = ['nodejs', 'web', 'bundler']

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-cli-'))
after(() => fs.rmSync(scratch, { recursive: true, force: true }))

let serial = 0
/** A fresh directory holding copies of the given fixture targets (as subdirectories). */
function workspace(targets = TARGETS) {
  const dir = path.join(scratch, `ws-${++serial}`)
  for (const t of targets) fs.cpSync(path.join(FIXTURES, t), path.join(dir, t), { recursive: true })
  return dir
}

function cli(args, { cwd, env } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: undefined, ...env },
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr }
}

function hashes(dir) {
  const out = {}
  for (const f of fs.readdirSync(dir, { recursive: true }).sort()) {
    const p = path.join(dir, f)
    if (fs.statSync(p).isFile()) out[f] = createHash('sha256').update(fs.readFileSync(p)).digest('hex')
  }
  return out
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the ANSI escape is what these tests look for
const ESC = /\x1b\[/

describe('wasm-unbrick CLI', () => {
  test('--help shows usage, --check and examples; --version', () => {
    const r = cli(['--help'])
    assert.equal(r.status, 0)
    assert.match(r.stdout, /^Usage:/)
    assert.match(r.stdout, /--check/)
    assert.match(r.stdout, /Examples:\n/)
    assert.match(r.stdout, /NO_COLOR/)
    const v = cli(['-V'])
    assert.equal(v.status, 0)
    assert.equal(v.stdout.trim(), `wasm-unbrick ${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`)
  })

  test('patch: summary with what was found and sizes; again: already patched', () => {
    const dir = workspace(['web'])
    const r = cli(['web'], { cwd: dir })
    assert.equal(r.status, 0, r.all)
    // The sizes of the committed fixture, in the CLI's units.
    const kib = (file) => (fs.statSync(path.join(FIXTURES, 'web', file)).size / 1024).toFixed(1).replace('.', '\\.')
    const wasmSize = new RegExp(`^web: patched \\(web target, wasm-bindgen 0\\.2\\.130, ${kib('bricked_bg.wasm')} KiB of Wasm\\)$`, 'm')
    assert.match(r.stdout, wasmSize)
    assert.match(r.stdout, new RegExp(`^ {2}bricked\\.js +${kib('bricked.js')} KiB -> +\\d+\\.\\d KiB +\\(\\+\\d+\\.\\d KiB\\)$`, 'm'))
    assert.match(r.stdout, /^ {2}total +/m)
    assert.doesNotMatch(r.all, ESC, 'no colours when not on a terminal')
    assert.equal(r.stderr, '', 'no progress line when not on a terminal')
    const before = hashes(dir)
    const again = cli(['web'], { cwd: dir })
    assert.equal(again.status, 0, again.all)
    assert.match(again.stdout, /^web: already patched, nothing to do/m)
    assert.deepEqual(hashes(dir), before)
  })

  test('--dry-run writes nothing', () => {
    const dir = workspace()
    const before = hashes(dir)
    const r = cli(['nodejs', 'web', 'bundler', '--dry-run'], { cwd: dir })
    assert.equal(r.status, 0, r.all)
    assert.equal((r.stdout.match(/: would patch /g) || []).length, 3)
    assert.match(r.stdout, /^3 packages: 3 would be patched$/m)
    assert.deepEqual(hashes(dir), before)
  })

  test('--check: exit 1 while a package is not patched, 0 once all are', () => {
    const dir = workspace(['web', 'bundler'])
    const before = hashes(dir)
    const r = cli(['--check', 'web', 'bundler'], { cwd: dir })
    assert.equal(r.status, 1, r.all)
    assert.match(r.stdout, /^web: NOT patched .*run: wasm-unbrick web$/m)
    assert.match(r.stdout, /^2 packages: 2 not patched$/m)
    assert.deepEqual(hashes(dir), before, '--check changes nothing')

    assert.equal(cli(['web'], { cwd: dir }).status, 0)
    const half = cli(['--check', 'web', 'bundler', '--json'], { cwd: dir })
    assert.equal(half.status, 1, half.all)
    const json = JSON.parse(half.stdout)
    assert.deepEqual(
      json.map((e) => [e.path, e.patched]),
      [
        ['web', true],
        ['bundler', false],
      ],
    )
    assert.equal(json[0].analysis.target, 'web')

    assert.equal(cli(['bundler'], { cwd: dir }).status, 0)
    const all = cli(['--check', 'web', 'bundler'], { cwd: dir })
    assert.equal(all.status, 0, all.all)
    assert.match(all.stdout, /^bundler: patched \(/m)

    const bad = cli(['--check', 'web', '--out-dir', 'x'], { cwd: dir })
    assert.equal(bad.status, 2)
    assert.match(bad.stderr, /--out-dir does not apply to --check/)
  })

  test('--json: one entry per path, failures included', () => {
    const dir = workspace(['nodejs'])
    const r = cli(['nodejs', 'missing', '--json'], { cwd: dir })
    assert.equal(r.status, 1)
    const json = JSON.parse(r.stdout)
    assert.equal(json.length, 2)
    assert.equal(json[0].ok, true)
    assert.equal(json[0].report.status, 'patched')
    assert.ok(json[0].report.files.some((f) => f.name === 'bricked_bg.wasm' && f.after > f.before))
    assert.deepEqual({ ok: json[1].ok, code: json[1].error.code }, { ok: false, code: 'io' })
    assert.match(r.stderr, /missing: /)
  })

  test('globs are expanded by the CLI, one entry per package', () => {
    const dir = workspace()
    const r = cli(['*', '--dry-run'], { cwd: dir })
    assert.equal(r.status, 0, r.all)
    assert.deepEqual(
      [...r.stdout.matchAll(/^(\S+): would patch/gm)].map((m) => m[1]),
      ['bundler', 'nodejs', 'web'],
    )

    // Glue files and .wasm files of the same package count once.
    const files = cli(['**/bricked*.js', '**/*_bg.wasm', '--dry-run', '--json'], { cwd: dir })
    assert.equal(files.status, 0, files.all)
    assert.deepEqual(
      JSON.parse(files.stdout).map((e) => e.path),
      ['bundler', 'nodejs', 'web'],
    )

    const some = cli(['{web,bundler}'], { cwd: dir })
    assert.equal(some.status, 0, some.all)
    assert.match(some.stdout, /^2 packages: 2 patched$/m)
    assert.equal(cli(['--check', '*'], { cwd: dir }).status, 1, 'nodejs is still unpatched')

    const none = cli(['nothing-here/*'], { cwd: dir })
    assert.equal(none.status, 1)
    assert.match(none.stderr, /no wasm-bindgen package matches 'nothing-here\/\*'/)
  })

  test('bad input: clear messages and exit codes, nothing written', () => {
    const dir = workspace(['web'])
    const before = hashes(dir)
    const cases = [
      // The core checks the options; the CLI names the flag.
      [['web', '--policy', 'sometimes'], 2, /--policy: unknown variant `sometimes`, expected one of `lazy`, `eager`, `manual`/],
      [['web', '--max-aborts=-1'], 2, /--max-aborts: expected a whole number from 0 to 4294967295, got -1/],
      [['web', '--window-ms', '99999999999'], 2, /--window-ms: expected a whole number from 0 to 4294967295, got 99999999999/],
      [['web', '--frobnicate'], 2, /Unknown option '--frobnicate'[\s\S]*Try 'wasm-unbrick --help'/],
      [[], 2, /no path given/],
      [['inspect'], 2, /inspect takes exactly one path/],
      [['no-such-dir'], 1, /no-such-dir: No such file or directory/],
    ]
    for (const [args, status, message] of cases) {
      const r = cli(args, { cwd: dir })
      assert.equal(r.status, status, `${args.join(' ')}: ${r.all}`)
      assert.match(r.stderr, message, args.join(' '))
    }
    // A truncated .wasm is refused, and nothing changes.
    fs.writeFileSync(path.join(dir, 'web', 'bricked_bg.wasm'), Buffer.from('\0asm\x01\0\0\0\x01'))
    const truncated = cli(['web'], { cwd: dir })
    assert.equal(truncated.status, 1, truncated.all)
    assert.match(truncated.stderr, /bricked_bg\.wasm/)
    const after = hashes(dir)
    delete after['web/bricked_bg.wasm']
    const expected = { ...before }
    delete expected['web/bricked_bg.wasm']
    assert.deepEqual(after, expected)
  })
})

// `script` (util-linux) gives the CLI a pseudo-terminal.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0

describe('wasm-unbrick CLI on a terminal', { skip: !hasScript && 'no `script` command to make a pseudo-terminal' }, () => {
  function onTty(args, { cwd, env = {} }) {
    const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: undefined, TERM: 'xterm', ...env },
    })
    return { status: r.status, output: r.stdout }
  }

  test('colours and a progress line for several packages; NO_COLOR turns colours off', () => {
    const dir = workspace()
    const r = onTty(['*', '--dry-run'], { cwd: dir })
    assert.equal(r.status, 0, r.output)
    assert.match(r.output, /\[1\/3\] analysing bundler \.\.\./)
    assert.match(r.output, /\[3\/3\] analysing web \.\.\./)
    assert.match(r.output, new RegExp(`${ESC.source}32mwould patch${ESC.source}39m`))
    const plain = onTty(['web', '--dry-run'], { cwd: dir, env: { NO_COLOR: '1' } })
    assert.equal(plain.status, 0, plain.output)
    assert.doesNotMatch(plain.output, ESC, 'no colours, and one package: no progress line')
    assert.match(plain.output, /web: would patch/)
  })
})
