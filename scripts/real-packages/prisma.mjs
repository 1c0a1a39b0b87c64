import { errorOf, sha } from './common.mjs'

const PRISMA_SCHEMA = [
  'datasource db {',
  ' provider = "postgresql"',
  '}',
  'model User {',
  ' id Int @id',
  '  name String?',
  ' posts Post[]',
  '}',
  'model Post {',
  ' id Int @id',
  ' authorId Int',
  ' author User @relation(fields: [authorId], references: [id])',
  '}',
  '',
].join('\n')

async function prismaSmoke(m) {
  const files = JSON.stringify([['schema.prisma', PRISMA_SCHEMA]])
  return {
    error: await errorOf(() => m.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', 'model {']] }))),
    format: m.format(files, JSON.stringify({ textDocument: { uri: 'file:/schema.prisma' }, options: { tabSize: 2, insertSpaces: true } })),
    lint: m.lint(files),
    config: JSON.parse(m.get_config(JSON.stringify({ prismaSchema: [['schema.prisma', PRISMA_SCHEMA]] }))),
    dmmf: sha(m.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', PRISMA_SCHEMA]] }))),
    preview: m.preview_features(),
  }
}
const prismaStale = {
  make: (m) => m.get_dmmf_buffered(JSON.stringify({ prismaSchema: [['schema.prisma', PRISMA_SCHEMA]] })),
  use: (buf) => buf.len(),
}

export default [
  {
    id: '@prisma/prisma-schema-wasm',
    layout: 'wasm-pack nodejs in src/',
    fails: "panic: debug_panic(), the package's own documented panic",
    name: '@prisma/prisma-schema-wasm',
    version: '8.1.0-2.59be4fda12412a79eeb9c2ae727b6aa723593323',
    dir: 'src',
    load: (ctx) => {
      // The panic hook reports through this global, which Prisma's own JS
      // defines; without it the hook throws a TypeError from inside the panic.
      globalThis.PRISMA_WASM_PANIC_REGISTRY = {
        message: null,
        set_message(m) {
          this.message = m
        },
      }
      return ctx.require('src/prisma_schema_build.js')
    },
    smoke: prismaSmoke,
    trap: (m) => m.debug_panic(),
    stale: prismaStale,
  },
]
