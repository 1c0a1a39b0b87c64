import { photon, sha } from './common.mjs'

const photonSmoke = (m) => {
  const img = new m.PhotonImage(photon.pixels(4), 4, 4)
  m.grayscale(img)
  const gray = sha(img.get_raw_pixels())
  m.invert(img)
  const out = { gray, inverted: sha(img.get_raw_pixels()), size: [img.get_width(), img.get_height()] }
  img.free()
  return out
}

export default [
  {
    id: '@silvia-odwyer/photon-node',
    layout: 'wasm-pack nodejs',
    name: '@silvia-odwyer/photon-node',
    version: '0.3.4',
    dir: '.',
    load: (ctx) => ctx.require('photon_rs.js'),
    smoke: photonSmoke,
    trap: photon.trap,
    fails: photon.fails,
    stale: photon.stale(4),
  },
]
