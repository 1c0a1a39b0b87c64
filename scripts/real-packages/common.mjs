// Helpers shared by the real-package specs.
import crypto from 'node:crypto'

export const sha = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16)

// The error a call throws (Result errors, JS exceptions from callbacks): part
// of the smoke result, so it must stay the same error after patching and must
// not count as an abort.
export async function errorOf(fn) {
  try {
    await fn()
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : `thrown ${typeof e}: ${String(e).slice(0, 200)}`
  }
  return 'no error'
}

// ctx: { dir (package root of the copy), require(rel), import(rel), bytes(rel) }
// A web target loaded in Node: the glue, then initSync with the .wasm bytes.
export const webTarget = (glue, wasm) => async (ctx) => {
  const m = await ctx.import(glue)
  m.initSync({ module: ctx.bytes(wasm) })
  return m
}

// The photon crate's API, which three packages of the sweep ship
// (@silvia-odwyer/photon-node, @silvia-odwyer/photon, @cf-wasm/photon).
export const photon = {
  /** RGBA pixels of a width x 4 image. */
  pixels: (width) => Uint8Array.from({ length: width * 4 * 4 }, (_, i) => (i * 37) % 256),
  // Claims 10x10 pixels with 1: cropping indexes out of bounds (a panic).
  trap: (m) => m.crop(new m.PhotonImage(new Uint8Array(4), 10, 10), 0, 0, 5, 5),
  fails: 'panic: index out of bounds in crop (PhotonImage claims 10x10 pixels, has 1)',
  /** An image as a smoke result: [width, height, hash of its pixels]. */
  summary: (img) => [img.get_width(), img.get_height(), sha(img.get_raw_pixels())],
  stale: (width) => ({ make: (m) => new m.PhotonImage(photon.pixels(width), width, 4), use: (img) => img.get_width() }),
}
