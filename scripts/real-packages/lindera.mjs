import { errorOf, webTarget } from './common.mjs'

async function linderaSmoke(m) {
  const builder = new m.TokenizerBuilder()
  builder.setDictionary('embedded://ipadic')
  builder.setMode('normal')
  const tokenizer = builder.build()
  const tokens = tokenizer.tokenize('関西国際空港限定トートバッグ')
  tokenizer.free()
  const error = await errorOf(() => new m.TokenizerBuilder().setMode('weird'))
  return { version: m.getVersion(), tokens: tokens.map((t) => [t.surface, t.partOfSpeech, t.reading]), error }
}
const linderaStale = { make: (m) => new m.TokenizerBuilder(), use: (b) => b.setMode('normal') }

export default [
  {
    id: 'lindera-wasm',
    layout: 'wasm-pack web, loaded with initSync',
    fails:
      'no trap found: bad filter args return errors; regex/mapping/unicode_normalize/iteration-mark char filters, number/compound/' +
      'reading/kana/stem token filters on ipadic, ko-dic and cc-cedict, and 200,000 chars of input all tokenize',
    name: 'lindera-wasm',
    version: '1.1.0',
    dir: '.',
    load: webTarget('lindera_wasm.js', 'lindera_wasm_bg.wasm'),
    smoke: linderaSmoke,
    stale: linderaStale,
  },
]
