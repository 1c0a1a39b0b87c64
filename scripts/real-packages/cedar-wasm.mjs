import { errorOf, webTarget } from './common.mjs'

const POLICIES = {
  staticPolicies:
    'permit(principal == User::"alice", action == Action::"view", resource) when { context.ok };\n' +
    'forbid(principal, action, resource) unless { resource.public };',
}
const SCHEMA =
  'entity User;\nentity Doc { public: Bool };\naction view appliesTo { principal: User, resource: Doc, context: { ok: Bool } };'
const request = (docPublic) => ({
  principal: { type: 'User', id: 'alice' },
  action: { type: 'Action', id: 'view' },
  resource: { type: 'Doc', id: 'd' },
  context: { ok: true },
  policies: POLICIES,
  entities: [{ uid: { type: 'Doc', id: 'd' }, attrs: { public: docPublic }, parents: [] }],
})

const cedarSmoke = async (m) => ({
  versions: [m.getCedarVersion(), m.getCedarLangVersion(), m.getCedarSDKVersion()],
  allow: m.isAuthorized(request(true)),
  deny: m.isAuthorized(request(false)),
  validation: m.validate({ schema: SCHEMA, policies: POLICIES }),
  formatted: m.formatPolicies({ policyText: POLICIES.staticPolicies, lineWidth: 40 }),
  parts: m.policySetTextToParts(POLICIES.staticPolicies),
  schemaJson: m.schemaToJson(SCHEMA),
  parseFailure: m.checkParsePolicySet({ staticPolicies: 'permit(' }),
  errors: [await errorOf(() => m.isAuthorized(5)), await errorOf(() => m.formatPolicies({}))],
})
// 400 nested parentheses in a condition: the policy parser's recursion
// overflows the Rust stack in linear memory (out of bounds).
const cedarTrap = (m) =>
  m.checkParsePolicySet({ staticPolicies: `permit(principal, action, resource) when { ${'('.repeat(400)}true${')'.repeat(400)} };` })
const cedarFails = 'stack overflow: 400 nested parentheses in a policy condition overflow the Rust stack (out-of-bounds access)'
const spec = { name: '@cedar-policy/cedar-wasm', version: '4.13.0', smoke: cedarSmoke, trap: cedarTrap, fails: cedarFails }

export default [
  {
    ...spec,
    id: '@cedar-policy/cedar-wasm (nodejs)',
    dir: '.',
    inspect: 'nodejs',
    layout: 'wasm-pack nodejs in nodejs/',
    load: (ctx) => ctx.require('nodejs/cedar_wasm.js'),
  },
  {
    ...spec,
    id: '@cedar-policy/cedar-wasm (web)',
    dir: '.',
    inspect: 'web',
    layout: 'wasm-pack web in web/, loaded with initSync',
    load: webTarget('web/cedar_wasm.js', 'web/cedar_wasm_bg.wasm'),
  },
  {
    ...spec,
    id: '@cedar-policy/cedar-wasm (esm)',
    dir: '.',
    inspect: 'esm',
    layout: 'wasm-pack bundler in esm/ (the package main), imports cedar_wasm_bg.wasm',
    flags: { before: ['--experimental-wasm-modules'] },
    load: (ctx) => ctx.import('esm/cedar_wasm.js'),
  },
]
