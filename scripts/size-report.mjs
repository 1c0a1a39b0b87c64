#!/usr/bin/env node
// What the patch adds to each glue file: raw bytes, and minified (esbuild)
// then gzipped at level 9 (what a bundle ships to browsers). For the
// 0.2.130 fixture's targets and for the glue of the 45 MB
// @biomejs/wasm-nodejs 2.5.14 (downloaded once).
//
//   node scripts/size-report.mjs      (part of npm run bench)
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { transformSync } from 'esbuild'
import { fetchPackage } from './npm-package.mjs'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const addon = createRequire(import.meta.url)('../index.js')

const PACKAGES = [
  ...['web', 'bundler', 'nodejs'].map((target) => ({
    label: `fixture 0.2.130 ${target}`,
    dir: path.join(ROOT, 'fixtures/out/wbg-0.2.130', target),
    entry: 'bricked.js',
  })),
  { label: '@biomejs/wasm-nodejs 2.5.14', dir: fetchPackage('@biomejs/wasm-nodejs', '2.5.14'), entry: 'biome_wasm.js' },
]

const minGz = (code, format) => gzipSync(transformSync(code, { minify: true, format }).code, { level: 9 }).length
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`

console.log('| package | glue file | raw before | raw after | added | min+gz before | min+gz after | added |')
console.log('|---|---|---|---|---|---|---|---|')
for (const { label, dir, entry } of PACKAGES) {
  const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]))
  const { files: changed, analysis } = addon.transform(files, entry)
  const format = analysis.glueState.moduleKind === 'commonjs' ? 'cjs' : 'esm'
  for (const name of Object.keys(changed).filter((f) => /\.(?:m|c)?js$/.test(f))) {
    const before = files[name].toString()
    const after = changed[name].toString()
    const [gzBefore, gzAfter] = [minGz(before, format), minGz(after, format)]
    console.log(
      `| ${label} | ${name} | ${kib(before.length)} | ${kib(after.length)} | ${kib(after.length - before.length)} | ` +
        `${kib(gzBefore)} | ${kib(gzAfter)} | ${kib(gzAfter - gzBefore)} |`,
    )
  }
}
