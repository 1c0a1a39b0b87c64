// Writes every committed single-file fixture (glue + .wasm) as a seed input
// of the transform fuzz target: u32 LE glue length, glue, wasm.
//   node crates/unbrick-core/fuzz/seed.mjs
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const fixtures = path.join(here, '..', '..', '..', 'fixtures', 'out')
const out = path.join(here, 'corpus', 'transform')
fs.mkdirSync(out, { recursive: true })
let seeded = 0
for (const version of fs.readdirSync(fixtures)) {
  for (const target of fs.readdirSync(path.join(fixtures, version))) {
    const dir = path.join(fixtures, version, target)
    const glue = path.join(dir, 'bricked.js')
    const wasm = path.join(dir, 'bricked_bg.wasm')
    if (!fs.existsSync(glue) || !fs.existsSync(wasm)) continue
    const glueBytes = fs.readFileSync(glue)
    const length = Buffer.alloc(4)
    length.writeUInt32LE(glueBytes.length)
    fs.writeFileSync(path.join(out, `${version}-${target}`), Buffer.concat([length, glueBytes, fs.readFileSync(wasm)]))
    seeded++
  }
}
console.log(`seeded ${seeded} inputs into ${path.relative(process.cwd(), out)}`)
