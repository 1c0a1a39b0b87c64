// Public npm packages for the real-package tests: fetched by exact version
// with `npm pack` into .cache/real/ (never committed) and unpacked once.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const CACHE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.cache', 'real')

function npmCommand() {
  const cli = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js')
  return fs.existsSync(cli) ? [process.execPath, [cli]] : ['npm', []]
}

export const tarballName = (name, version) => `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`

// The package's files, unpacked once into .cache/real/unpacked/<tarball>/package.
export function fetchPackage(name, version) {
  const tgz = path.join(CACHE, tarballName(name, version))
  if (!fs.existsSync(tgz)) {
    fs.mkdirSync(CACHE, { recursive: true })
    const [cmd, pre] = npmCommand()
    const r = spawnSync(cmd, [...pre, 'pack', `${name}@${version}`, '--json', '--pack-destination', CACHE], {
      encoding: 'utf8',
      cwd: CACHE,
      env: { ...process.env, npm_config_loglevel: 'error' },
    })
    if (r.status !== 0)
      throw new Error(`npm pack ${name}@${version} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`)
    const packed = JSON.parse(r.stdout)[0]?.filename
    if (packed && path.join(CACHE, packed) !== tgz) fs.renameSync(path.join(CACHE, packed), tgz)
    if (!fs.existsSync(tgz)) throw new Error(`npm pack ${name}@${version}: ${tgz} not written`)
  }
  const unpacked = path.join(CACHE, 'unpacked', path.basename(tgz, '.tgz'))
  if (!fs.existsSync(path.join(unpacked, '.complete'))) {
    fs.rmSync(unpacked, { recursive: true, force: true })
    fs.mkdirSync(unpacked, { recursive: true })
    const r = spawnSync('tar', ['xzf', tgz, '-C', unpacked], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`tar xzf ${path.basename(tgz)} failed: ${r.stderr.trim()}`)
    fs.writeFileSync(path.join(unpacked, '.complete'), '')
  }
  return path.join(unpacked, 'package')
}
