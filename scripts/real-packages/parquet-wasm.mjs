import { errorOf, sha, webTarget } from './common.mjs'

const NAME = 'parquet-wasm'
const VERSION = '0.8.0'

// An Arrow IPC stream of three rows (id: Int32, score: Float64, name: Utf8),
// written with apache-arrow's tableToIPC.
const IPC = [
  '//////AAAAAQAAAAAAAKABAADgAHAAgACgAAAAAAAAEQAAAAAAAEAAgACAAAAAQACAAAAAQAAAADAAAAhAAAADgAAAAEAAAAmP///xQAAAAAAAABGAAAAAAA',
  'AAUYAAAABAAAAG5hbWUAAAAAAAAAAAQABAAEAAAAyP///xQAAAAAAAABGAAAAAAAAAMcAAAABQAAAHNjb3JlAAAAAAAAAAAABgAIAAYABgAAAAAAAgAQABgA',
  'BAALABMAFAAAAAwAEAAAABQAAAAAAAABFAAAAAAAAAIYAAAAAgAAAGlkAAAAAAAACAAMAAgABwAIAAAAAAAAASAAAAD/////+AAAABQAAAAAAAAADAAWABQA',
  'DwAQAAQADAAAAEAAAAAAAAAAAAAAAxAAAAAEAAoAGAAMAAgABAAKAAAAFAAAAIgAAAADAAAAAAAAAAAAAAAHAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'EAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAEAAAAAAAAAAYAAAAAAAAACgAAAAAAAAAAAAAAAAAAAAoAAAAAAAAABAAAAAAAAAAOAAAAAAAAAAIAAAAAAAAAAAA',
  'AAADAAAAAwAAAAAAAAAAAAAAAAAAAAMAAAAAAAAAAAAAAAAAAAADAAAAAAAAAAAAAAAAAAAAAQAAAAIAAAADAAAAAAAAAAAAAAAAAOA/AAAAAAAA+D8AAAAA',
  'AAAEQAAAAAABAAAAAwAAAAYAAABhYmJjY2MAAP////8AAAAA',
].join('')
const ipc = () => Uint8Array.from(Buffer.from(IPC, 'base64'))

async function parquetSmoke(m) {
  const props = new m.WriterPropertiesBuilder().setCompression(m.Compression.SNAPPY).build()
  const parquet = m.writeParquet(m.Table.fromIPCStream(ipc()), props)
  const table = m.readParquet(parquet, { limit: 2 })
  const out = {
    parquet: sha(parquet),
    batches: table.numBatches,
    columns: ['id', 'score', 'name'].map((name) => table.schema.indexOf(name)),
    rows: m.readParquet(parquet).recordBatch(0).numRows,
    ipc: sha(table.intoIPCStream()),
    all: sha(m.readParquet(parquet).intoIPCStream()),
    errors: [
      await errorOf(() => m.readParquet(parquet).schema.indexOf('nope')),
      await errorOf(() => m.readParquet(parquet.slice(0, parquet.length - 20))),
      await errorOf(() => m.Table.fromIPCStream(ipc().slice(0, 300))),
      await errorOf(() => m.readParquet(parquet, { batchSize: -1 })),
    ],
  }
  return out
}
const parquetTrap = (m) => {
  // The file has one row group: reading row group 5 indexes out of bounds (a panic).
  const parquet = m.writeParquet(m.Table.fromIPCStream(ipc()))
  return m.readParquet(parquet, { rowGroups: [5] })
}
const parquetStale = { make: (m) => m.Table.fromIPCStream(ipc()), use: (table) => table.numBatches }
const common = {
  name: NAME,
  version: VERSION,
  dir: '.',
  smoke: parquetSmoke,
  trap: parquetTrap,
  fails: 'panic: index out of bounds in readParquet (rowGroups: [5] on a file with one row group)',
  stale: parquetStale,
}

export default [
  {
    id: 'parquet-wasm (node)',
    ...common,
    inspect: 'node',
    layout: 'wasm-pack nodejs in node/',
    load: (ctx) => ctx.require('node/parquet_wasm.js'),
  },
  {
    id: 'parquet-wasm (esm)',
    ...common,
    inspect: 'esm',
    layout: 'wasm-pack web in esm/, loaded with initSync',
    load: webTarget('esm/parquet_wasm.js', 'esm/parquet_wasm_bg.wasm'),
  },
]
