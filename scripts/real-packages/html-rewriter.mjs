import { errorOf } from './common.mjs'

async function htmlRewriterSmoke(m) {
  let out = ''
  const decoder = new TextDecoder()
  const rewriter = new m.HTMLRewriter((chunk) => {
    out += decoder.decode(chunk)
  })
  rewriter.on('p', {
    element(e) {
      e.setInnerContent('new')
      e.setAttribute('data-x', '1')
    },
  })
  rewriter.on('a', {
    // An async handler: html-rewriter-wasm suspends the Wasm stack (asyncify).
    async element(e) {
      await new Promise((resolve) => setTimeout(resolve, 1))
      e.before('<b>!</b>', { html: true })
    },
  })
  try {
    await rewriter.write(new TextEncoder().encode('<div><p>old</p><a href=x>link</a><!-- c --></div>'))
    await rewriter.end()
  } finally {
    rewriter.free()
  }
  // A handler that throws: the JS exception crosses the Wasm frames.
  const failing = new m.HTMLRewriter(() => {})
  failing.on('p', {
    element() {
      throw new TypeError('handler failed')
    },
  })
  const errors = [
    await errorOf(() => failing.write(new TextEncoder().encode('<p>x</p>'))),
    await errorOf(() => new m.HTMLRewriter(() => {}).on('p[', {})),
  ]
  failing.free()
  return { out, errors }
}
const htmlRewriterTrap = async (m) => {
  // Writing into a rewriter that has ended: a panic in the Rust code (the decoder has finished).
  const rewriter = new m.HTMLRewriter(() => {})
  await rewriter.write(new TextEncoder().encode('<p>x</p>'))
  await rewriter.end()
  await rewriter.write(new TextEncoder().encode('<p>y</p>'))
}
const htmlRewriterStale = { make: (m) => new m.HTMLRewriter(() => {}), use: (r) => r.on('p', { element() {} }) }

export default [
  {
    id: 'html-rewriter-wasm',
    layout: 'wasm-pack nodejs in dist/ (asyncify)',
    fails: 'panic: HTMLRewriter.write() after end() (unreachable)',
    name: 'html-rewriter-wasm',
    version: '0.4.1',
    dir: 'dist',
    load: (ctx) => ctx.require('dist/html_rewriter.js'),
    smoke: htmlRewriterSmoke,
    trap: htmlRewriterTrap,
    stale: htmlRewriterStale,
  },
]
