#!/usr/bin/env node
// Makes sure Debian's Chromium is at /usr/bin/chromium, which the browser
// test drives through playwright-core. Installs it with apt-get when missing
// (needs root, as on CI). Importable: `ensureChromium()` returns the path or
// throws.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const CHROMIUM = '/usr/bin/chromium'

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`)
}

export function ensureChromium({ log = (m) => console.error(m) } = {}) {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM
  if (process.platform !== 'linux') throw new Error(`${CHROMIUM} is missing (and this is not Linux)`)
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`${CHROMIUM} is missing; install it with: sudo apt-get update && sudo apt-get install -y chromium`)
  }
  log(`${CHROMIUM} is missing: installing Debian's chromium with apt-get ...`)
  run('apt-get', ['update'])
  run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'])
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`)
  return CHROMIUM
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(ensureChromium())
  } catch (e) {
    console.error(`install-chromium: ${e.message}`)
    process.exit(1)
  }
}
