// wasm-unbrick command line: arguments, the patch options they carry, and usage errors.
'use strict'

const { parseArgs } = require('node:util')

const EXIT_OK = 0

const EXIT_FAILURE = 1

const EXIT_USAGE = 2

/** The help text, with the core's defaults (`parseOptions({})`). */
const help = (defaults) => `\
Usage:
  wasm-unbrick <path|glob...> [options]   patch wasm-bindgen output
  wasm-unbrick --check <path|glob...>     exit 1 unless every package is patched
  wasm-unbrick inspect <path> [--json]    show what wasm-unbrick sees, change nothing

<path> is a wasm-bindgen output directory (the one holding x.js and
x_bg.wasm), a whole npm package (every module and entry in it, glue matched
to its .wasm by the imports it provides), or a glue .js file (bundled ones
too). A glob (*, **, ?, [..], {a,b}; quote it so
that the shell leaves it alone) stands for the packages it matches: the
directories holding a *_bg.wasm and the glue files beside one. Files are
patched in place unless --out-dir is given.

Options:
  --out-dir DIR       write the patched package into DIR; with several paths,
                      into DIR/<name of each package directory>
  --policy POLICY     when an aborted instance is re-created:
                      lazy (default: on the next call), eager (at once),
                      manual (only when the program asks)
  --eh-mode MODE      for a module built with panic=unwind, the exception
                      handling variant to load: auto (default: the best the
                      engine supports, probed at run time), modern, legacy or
                      none (no exception handling: every panic is an abort)
  --max-aborts N      aborts tolerated within the window before giving up (default ${defaults.maxAborts})
  --window-ms N       length of that window in milliseconds (default ${defaults.windowMs})
  --standby           keep a spare instance, made ahead, for an abort to swap in
  --rollback MODE     what the instance after an abort starts from: none
                      (default: fresh, the state is lost), checkpoint (the
                      last __unbrick.checkpoint()), every-call (the state
                      before the call that aborted; copies the memory per call)
  --dry-run           analyse and report, write nothing
  --check             change nothing; exit 1 when a package is not patched
                      (for CI: run it on what you ship)
  --json              print JSON on stdout: inspect prints the analysis, patching
                      and --check print an array with one entry per package
  -h, --help          show this help
  -V, --version       show the version

Colours are used on a terminal only, and never when NO_COLOR is set.

Examples:
  wasm-unbrick pkg/                             patch wasm-pack's output in place
  wasm-unbrick pkg/my_crate.js --out-dir dist/  patch into another directory
  wasm-unbrick 'packages/*/pkg' --dry-run       what would change in every package
  wasm-unbrick 'node_modules/**/*_bg.wasm'      patch every wasm-bindgen package installed
  wasm-unbrick --check pkg/ || exit 1           in CI: fail when the build is unpatched
  wasm-unbrick inspect pkg/ --json              the analysis, as JSON

Exit status: 0 success (an already patched package counts as success),
1 unsupported input, a package not patched (--check) or other failure,
2 usage error.
`

class UsageError extends Error {}

function fail(message) {
  throw new UsageError(message)
}

// The flags that become the core's patch options (crates/unbrick-core/src/
// options.rs), by option key. The core checks and defaults their values.
const OPTION_FLAGS = {
  'out-dir': 'outDir',
  policy: 'policy',
  'eh-mode': 'ehMode',
  'max-aborts': 'maxAborts',
  'window-ms': 'windowMs',
  standby: 'standby',
  rollback: 'rollback',
  'dry-run': 'dryRun',
}

const NUMBER_OPTIONS = new Set(['maxAborts', 'windowMs'])

/** The options object of the flags given: numbers where the text is one. */
function optionsOf(values) {
  const options = {}
  for (const [flag, key] of Object.entries(OPTION_FLAGS)) {
    const text = values[flag]
    if (text === undefined) continue
    options[key] = NUMBER_OPTIONS.has(key) && /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : text
  }
  return options
}

/** The core's verdict on the options, in the words of the command line. */
function checkOptions(addon, options) {
  try {
    return addon.parseOptions(options)
  } catch (e) {
    if (e.code !== 'usage') throw e
    const flag = Object.keys(OPTION_FLAGS).find((f) => e.message.startsWith(`invalid options: ${OPTION_FLAGS[f]}:`))
    fail(flag === undefined ? e.message : `--${flag}${e.message.slice(`invalid options: ${OPTION_FLAGS[flag]}`.length)}`)
  }
}

/** Refuses the patch options for a command that patches nothing. */
function noOptions(values, command) {
  const given = Object.keys(OPTION_FLAGS).find((flag) => values[flag] !== undefined)
  if (given !== undefined) fail(`--${given} does not apply to ${command}`)
}

function parseCommandLine(argv) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        'out-dir': { type: 'string' },
        policy: { type: 'string' },
        'eh-mode': { type: 'string' },
        'max-aborts': { type: 'string' },
        'window-ms': { type: 'string' },
        standby: { type: 'boolean' },
        rollback: { type: 'string' },
        'dry-run': { type: 'boolean' },
        check: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    })
  } catch (e) {
    fail(e.message)
  }
  const { values, positionals, tokens } = parsed
  // `inspect` is a command only before `--`: `wasm-unbrick -- inspect` patches ./inspect.
  const first = tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator')
  const inspect = first !== undefined && first.kind === 'positional' && first.value === 'inspect'
  return { values, paths: inspect ? positionals.slice(1) : positionals, inspect }
}

module.exports = {
  EXIT_OK,
  EXIT_FAILURE,
  EXIT_USAGE,
  help,
  UsageError,
  fail,
  optionsOf,
  checkOptions,
  noOptions,
  parseCommandLine,
}
