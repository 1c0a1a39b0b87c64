import { photon, sha } from './common.mjs'

const pixels = () => photon.pixels(6)
function photonSmoke(m) {
  const img = new m.PhotonImage(pixels(), 6, 4)
  try {
    m.grayscale(img)
    const gray = sha(img.get_raw_pixels())
    m.invert(img)
    const inverted = sha(img.get_raw_pixels())
    const cropped = m.crop(img, 1, 1, 4, 3)
    const out = { gray, inverted, cropped: photon.summary(cropped) }
    cropped.free()
    const png = m.PhotonImage.new_from_base64(img.get_base64().replace(/^data:image\/png;base64,/, ''))
    out.roundTrip = photon.summary(png)
    png.free()
    return out
  } finally {
    img.free()
  }
}

export default [
  {
    id: '@silvia-odwyer/photon (bundler)',
    name: '@silvia-odwyer/photon',
    version: '0.3.11',
    dir: '.',
    layout: 'wasm-pack bundler (photon_rs.js imports the .wasm as an ES module)',
    flags: { before: ['--experimental-wasm-modules'] },
    load: (ctx) => ctx.import('photon_rs.js'),
    smoke: photonSmoke,
    trap: photon.trap,
    fails: photon.fails,
    stale: photon.stale(6),
  },
]
