const onePasswordSmoke = (m) => {
  const invocation = (name, parameters) => JSON.stringify({ invocation: { parameters: { name, parameters } } })
  let invalid = null
  try {
    m.invoke_sync(invocation('ValidateSecretReference', { secret_reference: 'vault/item/field' }))
  } catch (e) {
    invalid = String(e)
  }
  const pin = JSON.parse(m.invoke_sync(invocation('GeneratePassword', { recipe: { type: 'Pin', parameters: { length: 8 } } })))
  return {
    valid: m.invoke_sync(invocation('ValidateSecretReference', { secret_reference: 'op://vault/item/field' })),
    invalid,
    pin: /^\d{8}$/.test(pin.password),
  }
}

export default [
  {
    id: '@1password/sdk-core',
    layout: 'wasm-pack nodejs in nodejs/',
    fails:
      'no trap found: the only client-less invocations (GeneratePassword, ValidateSecretReference) validate lengths and references; ' +
      "JSON nested 100,000 deep hits serde_json's recursion limit; bad service-account tokens and client ids return errors",
    name: '@1password/sdk-core',
    version: '0.5.0',
    dir: 'nodejs',
    load: (ctx) => ctx.require('nodejs/core.js'),
    smoke: onePasswordSmoke,
  },
]
