// What each bundler plugin adds to a build: an app whose only dependency is
// the 7.8 MB panic=unwind module of fixtures/crates/large-eh (modern EH, web
// target; built by fixtures/scripts/build-large-eh.sh, outside the
// repository), built with vite, webpack, rollup, rolldown (through
// wasm-unbrick/unplugin), rspack and esbuild, with
// and without wasm-unbrick's plugin. Each figure comes from a fresh process
// (the two alternating), several rounds, median and range: the first build
// of the process (the plugin patches the package: the module, and its
// legacy and reinit-only variants) and a second build in the same process
// (the plugin's content-hash cache answers).
//
//   node scripts/bench-plugins.mjs [--rounds=N] [--only=vite,esbuild]   (npm run bench:plugins)
// Prints figures; nothing here is asserted.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SELF = fileURLToPath(import.meta.url)
const MARK = '@@bench-plugins '
const MAIN = "import init, * as m from './pkg/large_eh.js'\nawait init()\nconsole.log(Object.keys(m).length)\n"

const now = () => Number(process.hrtime.bigint()) / 1e6 // ms

// One build of `dir` into dir/dist with `bundler`, with the plugin or not.
async function build(bundler, dir, withPlugin) {
  const out = path.join(dir, 'dist')
  fs.rmSync(out, { recursive: true, force: true })
  const entry = path.join(dir, 'main.js')
  const plugin = async () =>
    bundler === 'rolldown'
      ? (await import(pathToFileURL(path.join(root, 'plugins/unplugin.mjs')).href)).unplugin.rolldown()
      : (await import(pathToFileURL(path.join(root, `plugins/${bundler}.mjs`)).href)).default()
  const plugins = withPlugin ? [await plugin()] : []
  if (bundler === 'vite') {
    const { build: viteBuild } = await import('vite')
    await viteBuild({ root: dir, configFile: false, logLevel: 'silent', plugins, build: { outDir: out, target: 'esnext' } })
  } else if (bundler === 'rollup' || bundler === 'rolldown') {
    const { [bundler]: make } = await import(bundler)
    const bundle = await make({ input: entry, plugins, onwarn: () => {} })
    await bundle.write({ dir: out, format: 'es' })
    await bundle.close()
  } else if (bundler === 'esbuild') {
    const esbuild = await import('esbuild')
    await esbuild.build({ entryPoints: [entry], bundle: true, format: 'esm', outdir: out, plugins, logLevel: 'silent' })
  } else {
    const make = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack
    const config = {
      mode: 'production',
      context: dir,
      entry: './main.js',
      output: { path: out },
      plugins,
      experiments: { topLevelAwait: true },
    }
    const stats = await new Promise((resolve, reject) => {
      const compiler = make(config)
      compiler.run((err, s) => compiler.close(() => (err ? reject(err) : resolve(s))))
    })
    if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }))
  }
}

if (process.argv[2] === '--child') {
  const [bundler, dir, withPlugin] = process.argv.slice(3)
  let t = now()
  await build(bundler, dir, withPlugin === 'true')
  const first = now() - t
  t = now()
  await build(bundler, dir, withPlugin === 'true')
  const again = now() - t
  process.stdout.write(`${MARK}${JSON.stringify({ first, again })}\n`)
  process.exit(0)
}

const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
const rounds = Number(arg('rounds') ?? 5)
const bundlers = (arg('only') ?? 'vite,webpack,rollup,rolldown,rspack,esbuild').split(',')
const built = spawnSync('bash', [path.join(root, 'fixtures/scripts/build-large-eh.sh')], { stdio: 'inherit' })
if (built.status !== 0) throw new Error('fixtures/scripts/build-large-eh.sh failed')
const pkg = path.join(process.env.WASM_UNBRICK_CACHE ?? path.join(root, '.cache'), 'large-eh', 'modern')
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wasm-unbrick-bench-plugins-'))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const f = (x) => `${x.toFixed(0)} ms`
const fmt = (xs) => `${f(median(xs))} (${f(Math.min(...xs))}–${f(Math.max(...xs))})`
try {
  const dir = path.join(tmp, 'app')
  fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true })
  fs.cpSync(pkg, path.join(dir, 'pkg'), { recursive: true })
  fs.writeFileSync(path.join(dir, 'main.js'), MAIN)
  fs.writeFileSync(path.join(dir, 'index.html'), '<script type="module" src="./main.js"></script>\n')
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true, "type": "module" }\n')
  const size = fs.statSync(path.join(pkg, 'large_eh_bg.wasm')).size
  const versions = Object.fromEntries(
    ['vite', 'webpack', 'rollup', 'rolldown', '@rspack/core', 'esbuild'].map((n) => [
      n,
      JSON.parse(fs.readFileSync(path.join(root, 'node_modules', n, 'package.json'), 'utf8')).version,
    ]),
  )
  console.log(
    `plugin build time, an app of the ${(size / 1e6).toFixed(2)} MB panic=unwind large-eh module (web target); ` +
      `${rounds} fresh processes per cell, with and without the plugin in turn; Node ${process.version}`,
  )
  console.log(
    `versions: ${Object.entries(versions)
      .map(([n, v]) => `${n} ${v}`)
      .join(', ')}`,
  )
  console.log('| bundler | first build: without | with the plugin | added | second build (cached): without | with | added |')
  console.log('|---|---|---|---|---|---|---|')
  for (const bundler of bundlers) {
    const runs = { false: [], true: [] }
    for (let r = 0; r < rounds; r++) {
      for (const withPlugin of [false, true]) {
        const p = spawnSync(process.execPath, [SELF, '--child', bundler, dir, String(withPlugin)], { encoding: 'utf8', cwd: dir })
        const line = p.stdout.split('\n').find((l) => l.startsWith(MARK))
        if (!line) throw new Error(`${bundler}: child failed: ${p.stderr.slice(-800)}`)
        runs[withPlugin].push(JSON.parse(line.slice(MARK.length)))
      }
    }
    const col = (w, k) => runs[w].map((o) => o[k])
    const added = (k) => runs.true.map((o, i) => o[k] - runs.false[i][k])
    console.log(
      `| ${bundler} | ${fmt(col(false, 'first'))} | ${fmt(col(true, 'first'))} | ${fmt(added('first'))} | ` +
        `${fmt(col(false, 'again'))} | ${fmt(col(true, 'again'))} | ${fmt(added('again'))} |`,
    )
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true })
}
