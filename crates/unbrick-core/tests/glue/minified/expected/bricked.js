/* wasm-unbrick: patched by wasm-unbrick 0.1.0: abort recovery, see __unbrick */
/* runtime/unbrick-runtime.js */
const __unbrick_rt = __unbrickRuntime({"version":"0.1.0","mode":"none","policy":"lazy","maxAborts":5,"windowMs":10000,"standby":false,"rollback":"none","stackPointer":"__unbrick_stack_pointer","externrefStackPointer":null,"funcTables":[],"memory":"memory","globals":["__unbrick_stack_pointer"],"externrefTables":[],"importParams":[2],"catchImports":[],"variants":null,"ehMode":"auto"}, { reset: __unbrick_reset, state: __unbrick_state, setState: __unbrick_set_state, setWasm: __unbrick_set_wasm });

class w{static __wrap(e){const t=Object.create(w.prototype);return t.__wbg_ptr=e,k.register(t,t.__wbg_ptr,t),t}__destroy_into_raw(){const e=this.__wbg_ptr;return this.__wbg_ptr=0,k.unregister(this),e}
free(){ if (__unbrick_rt.isStale(this)) return;const e=this.__destroy_into_raw();_.__wbg_counter_free(e,0)}constructor(){ __unbrick_rt.live || __unbrick_rt.revive();let e; try { e=__unbrick_rt.raw.counter_new(); } catch (e) { throw __unbrick_rt.classify(e); }return this.__wbg_ptr=e,k.register(this,this.__wbg_ptr,this),this}
get value(){ __unbrick_rt.live || __unbrick_rt.revive();return _.counter_value(this.__wbg_ptr)>>>0}}
__unbrick_rt.guardClass(w, "__wbg_ptr");Symbol.dispose&&(w.prototype[Symbol.dispose]=w.prototype.free),exports.Counter=w;
function L(n,e){ __unbrick_rt.live || __unbrick_rt.revive();try { return __unbrick_rt.raw.add(n,e) } catch (e) { throw __unbrick_rt.classify(e); }}exports.add=L;
function X(){return{__proto__:null,"./bricked_bg.js":{__proto__:null,__wbg___wbindgen_throw_4c88d8bf264fd984:function(e,t){throw new Error(h(e,t))}}}}
let k=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(__unbrick_rt.finalizer(n=>_.__wbg_counter_free(n,1)));
function h(n,e){return n=n>>>0,te(b().subarray(n,n+e))}let v=null;function b(){return(v===null||v.byteLength===0)&&(v=new Uint8Array(_.memory.buffer)),v}
let I=new TextDecoder("utf-8",{ignoreBOM:!0});I.decode();function te(n){return I.decode(n)}let a=0;
const ne=`${__dirname}/bricked_bg.wasm`,re=require("fs").readFileSync(ne),_e=new WebAssembly.Module(re);let oe=new __unbrick_rt.Instance(_e,X()),_=oe.exports;_.__wbindgen_start();
exports.__unbrick = __unbrick_rt.handle;
function __unbrick_reset() {
    k = typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(__unbrick_rt.finalizer(n=>_.__wbg_counter_free(n,1)));
    v = null;
}
function __unbrick_state() {
    return [k, v];
}
function __unbrick_set_state(values) {
    k = values[0];
    v = values[1];
}
function __unbrick_set_wasm(exports) {
    _ = exports;
}
