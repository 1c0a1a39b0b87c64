class w{static __wrap(e){const t=Object.create(w.prototype);return t.__wbg_ptr=e,k.register(t,t.__wbg_ptr,t),t}__destroy_into_raw(){const e=this.__wbg_ptr;return this.__wbg_ptr=0,k.unregister(this),e}
free(){const e=this.__destroy_into_raw();_.__wbg_counter_free(e,0)}constructor(){const e=_.counter_new();return this.__wbg_ptr=e,k.register(this,this.__wbg_ptr,this),this}
get value(){return _.counter_value(this.__wbg_ptr)>>>0}}Symbol.dispose&&(w.prototype[Symbol.dispose]=w.prototype.free),exports.Counter=w;
function L(n,e){return _.add(n,e)}exports.add=L;
function X(){return{__proto__:null,"./bricked_bg.js":{__proto__:null,__wbg___wbindgen_throw_4c88d8bf264fd984:function(e,t){throw new Error(h(e,t))}}}}
const k=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(n=>_.__wbg_counter_free(n,1));
function h(n,e){return n=n>>>0,te(b().subarray(n,n+e))}let v=null;function b(){return(v===null||v.byteLength===0)&&(v=new Uint8Array(_.memory.buffer)),v}
let I=new TextDecoder("utf-8",{ignoreBOM:!0});I.decode();function te(n){return I.decode(n)}let a=0;
const ne=`${__dirname}/bricked_bg.wasm`,re=require("fs").readFileSync(ne),_e=new WebAssembly.Module(re);let oe=new WebAssembly.Instance(_e,X()),_=oe.exports;_.__wbindgen_start();
