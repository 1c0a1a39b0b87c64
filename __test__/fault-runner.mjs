// Runs fault-scenario.mjs on one patched package in a process of its own,
// in Node (--expose-gc), Deno (--v8-flags=--expose-gc) or Bun:
//   <engine> __test__/fault-runner.mjs <package dir> <target> [start-panic]
// <target> is nodejs (require), web (initSync with the bytes of the file
// the runtime chose) or bundler (the entry, which compiles its own .wasm).
// Prints one JSON line: { mode, cells, engine }.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import process from 'node:process'
import { pathToFileURL } from 'node:url'
import { runFaults } from './fault-scenario.mjs'

const [dir, target, build] = process.argv.slice(2)
const entry = path.join(dir, 'bricked.js')

async function load() {
  if (target === 'nodejs') return createRequire(import.meta.url)(entry)
  const m = await import(pathToFileURL(entry).href)
  if (target === 'web') m.initSync({ module: fs.readFileSync(path.join(dir, m.__unbrick.wasmFile('bricked_bg.wasm'))) })
  return m
}

const bun = globalThis.Bun
const gc = bun !== undefined ? () => bun.gc(true) : (globalThis.gc ?? null)
const engine =
  bun !== undefined ? `bun ${bun.version}` : globalThis.Deno ? `deno ${globalThis.Deno.version.deno}` : `node ${process.version}`
const out = await runFaults(load, { gc, rss: () => process.memoryUsage().rss, startPanic: build === 'start-panic' })
console.log(JSON.stringify({ ...out, engine }))
