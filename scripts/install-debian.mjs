// Makes sure a program from a Debian package is installed: returns its path,
// or installs the package with apt-get when the path is missing (needs root,
// as on CI) and throws when that cannot be done. Used by install-chromium.mjs
// and install-firefox.mjs.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`)
}

/** `program` (an absolute path) from Debian's package `pkg`. */
export function ensureDebianProgram(program, pkg, { log = (m) => console.error(m) } = {}) {
  if (fs.existsSync(program)) return program
  if (process.platform !== 'linux') throw new Error(`${program} is missing (and this is not Linux)`)
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`${program} is missing; install it with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${pkg}`)
  }
  log(`${program} is missing: installing Debian's ${pkg} with apt-get ...`)
  run('apt-get', ['update'])
  run('apt-get', ['install', '-y', '--no-install-recommends', pkg])
  if (!fs.existsSync(program)) throw new Error(`apt-get installed ${pkg} but ${program} is still missing`)
  return program
}

/** Runs `main()` and prints its result when `url` (import.meta.url) is the script node was started with. */
export function runAsScript(url, name, main) {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== fileURLToPath(url)) return
  try {
    console.log(main())
  } catch (e) {
    console.error(`${name}: ${e.message}`)
    process.exit(1)
  }
}
