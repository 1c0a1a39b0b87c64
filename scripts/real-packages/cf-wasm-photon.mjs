import { photon, sha } from './common.mjs'

// Every entry (dist/node.js, workerd.js, others.js) imports photon.js, which
// imports an ImageData polyfill from the @cf-wasm/internals dependency (not in
// the tarball). The spec does what dist/node.js does with the package's own
// files: the wasm-bindgen glue dist/lib/photon_rs.js (web target), initialised
// with a WebAssembly.Module of the base64-inlined .wasm.
async function load(ctx) {
  const m = await ctx.import('dist/lib/photon_rs.js')
  const inline = (await ctx.import('dist/lib/photon_rs_bg.wasm.inline.js')).default
  m.initSync({ module: new WebAssembly.Module(inline) })
  return m
}

const pixels = () => photon.pixels(6)
function photonSmoke(m) {
  const img = new m.PhotonImage(pixels(), 6, 4)
  try {
    m.grayscale(img)
    const gray = sha(img.get_raw_pixels())
    m.invert(img)
    const resized = m.resize(img, 12, 8, m.SamplingFilter.Nearest)
    const out = {
      gray,
      inverted: sha(img.get_raw_pixels()),
      resized: photon.summary(resized),
    }
    resized.free()
    const png = m.PhotonImage.new_from_byteslice(img.get_bytes())
    out.png = photon.summary(png)
    png.free()
    return out
  } finally {
    img.free()
  }
}

export default [
  {
    id: '@cf-wasm/photon (inline wasm)',
    name: '@cf-wasm/photon',
    version: '0.4.0',
    dir: '.',
    layout: 'wasm-pack web glue in dist/lib, wasm beside and inlined as base64 (dist/lib/photon_rs_bg.wasm.inline.js)',
    inspect: 'dist/lib',
    load,
    smoke: photonSmoke,
    trap: photon.trap,
    fails: photon.fails,
    stale: photon.stale(6),
  },
]
