import { sha } from './common.mjs'

const photonPixels = () => Uint8Array.from({ length: 4 * 4 * 4 }, (_, i) => (i * 37) % 256)
const photonSmoke = (m) => {
  const img = new m.PhotonImage(photonPixels(), 4, 4)
  m.grayscale(img)
  const gray = sha(img.get_raw_pixels())
  m.invert(img)
  const out = { gray, inverted: sha(img.get_raw_pixels()), size: [img.get_width(), img.get_height()] }
  img.free()
  return out
}
const photonTrap = (m) => {
  // Claims 10x10 pixels with 1: cropping indexes out of bounds (a panic).
  const bad = new m.PhotonImage(new Uint8Array(4), 10, 10)
  return m.crop(bad, 0, 0, 5, 5)
}
const photonStale = { make: (m) => new m.PhotonImage(photonPixels(), 4, 4), use: (img) => img.get_width() }

export default [
  {
    id: '@silvia-odwyer/photon-node',
    layout: 'wasm-pack nodejs',
    fails: 'panic: index out of bounds in crop (PhotonImage claims 10x10 pixels, has 1)',
    name: '@silvia-odwyer/photon-node',
    version: '0.3.4',
    dir: '.',
    load: (ctx) => ctx.require('photon_rs.js'),
    smoke: photonSmoke,
    trap: photonTrap,
    stale: photonStale,
  },
]
