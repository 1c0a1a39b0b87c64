import { sha } from './common.mjs'

const pixels = () => Uint8Array.from({ length: 6 * 4 * 4 }, (_, i) => (i * 37) % 256)
function photonSmoke(m) {
  const img = new m.PhotonImage(pixels(), 6, 4)
  try {
    m.grayscale(img)
    const gray = sha(img.get_raw_pixels())
    m.invert(img)
    const inverted = sha(img.get_raw_pixels())
    const cropped = m.crop(img, 1, 1, 4, 3)
    const out = { gray, inverted, cropped: [cropped.get_width(), cropped.get_height(), sha(cropped.get_raw_pixels())] }
    cropped.free()
    const png = m.PhotonImage.new_from_base64(img.get_base64().replace(/^data:image\/png;base64,/, ''))
    out.roundTrip = [png.get_width(), png.get_height(), sha(png.get_raw_pixels())]
    png.free()
    return out
  } finally {
    img.free()
  }
}
// Claims 10x10 pixels with 1: cropping indexes out of bounds (a panic).
const photonTrap = (m) => m.crop(new m.PhotonImage(new Uint8Array(4), 10, 10), 0, 0, 5, 5)
const photonStale = { make: (m) => new m.PhotonImage(pixels(), 6, 4), use: (img) => img.get_width() }

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
    trap: photonTrap,
    fails: 'panic: index out of bounds in crop (PhotonImage claims 10x10 pixels, has 1)',
    stale: photonStale,
  },
]
