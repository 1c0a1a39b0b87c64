#!/usr/bin/env node
// wasm-unbrick command line (cli/ holds its parts): argument parsing and
// printing over the addon.
'use strict'

const { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, fail, help, parseCommandLine } = require('../cli/args.js')
const { loadBinding, version } = require('../cli/binding.js')
const { checkCommand, inspectCommand, patchCommand } = require('../cli/commands.js')
const { err } = require('../cli/output.js')
const { NoMatchError, expandPaths } = require('../cli/paths.js')

async function main(argv) {
  try {
    const { values, paths: args, inspect } = parseCommandLine(argv)
    if (values.help) {
      process.stdout.write(help(loadBinding().parseOptions({})))
      return EXIT_OK
    }
    if (values.version) {
      console.log(`wasm-unbrick ${version()}`)
      return EXIT_OK
    }
    if (inspect && values.check) fail('--check does not apply to inspect')
    let paths
    try {
      paths = expandPaths(args)
    } catch (e) {
      if (!(e instanceof NoMatchError)) throw e
      console.error(`wasm-unbrick: ${err.red(e.message)}`)
      return EXIT_FAILURE
    }
    if (inspect) return inspectCommand(values, paths)
    return values.check ? await checkCommand(values, paths) : await patchCommand(values, paths)
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`wasm-unbrick: ${e.message}`)
      console.error("Try 'wasm-unbrick --help'.")
      return EXIT_USAGE
    }
    // The loader's own message already starts with "wasm-unbrick: ".
    const message = String(e?.message)
    console.error(message.startsWith('wasm-unbrick: ') ? message : `wasm-unbrick: ${message}`)
    return EXIT_FAILURE
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
